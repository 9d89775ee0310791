package ai.local.runtime.testing.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake upstream on a free local port: records each request, then answers it ({@link #handle}). Knobs for
 * the failure cases: {@link #delayMillis} before answering (slow upstream), {@link #chunkDelayMillis} between
 * streamed pieces, {@link #garbled} output; {@link #stop()} and {@link #start()} take it down and bring it
 * back on the same port; {@link #aborted} counts streams whose client hung up.
 */
public abstract class FakeUpstream implements AutoCloseable {
	protected static final ObjectMapper JSON = new ObjectMapper();

	public record Recorded(String method, String path, Map<String, String> headers, JsonNode body) {
		public String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	public final List<Recorded> requests = new CopyOnWriteArrayList<>();
	public final AtomicInteger aborted = new AtomicInteger();
	public final AtomicInteger completedStreams = new AtomicInteger();
	public volatile long delayMillis;
	public volatile long chunkDelayMillis;
	public volatile boolean garbled;
	/**
	 * When set, chat requests are answered with this status (after {@link #delayMillis}) and an OpenAI error body,
	 * with {@code Retry-After: 2} for 429 and 503: an upstream whose queue is full.
	 */
	public volatile int failStatus;
	private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, getClass().getSimpleName());
		t.setDaemon(true);
		return t;
	});
	private int port;
	private HttpServer server;

	protected FakeUpstream() {
		start();
	}

	public final synchronized void start() {
		try {
			server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.setExecutor(executor);
		server.createContext("/", this::exchange);
		server.start();
		port = server.getAddress().getPort();
	}

	/** Closes the listening socket: connections are refused until {@link #start()}. */
	public final synchronized void stop() {
		server.stop(0);
	}

	public int port() {
		return port;
	}

	public String url() {
		return "http://127.0.0.1:" + port;
	}

	/** The requests to {@code path}, oldest first. */
	public List<Recorded> requests(String path) {
		return requests.stream().filter(r -> r.path().equals(path)).toList();
	}

	public Recorded last(String path) {
		List<Recorded> list = requests(path);
		if (list.isEmpty()) {
			throw new AssertionError("no request to " + path + " among " + requests.stream().map(Recorded::path).toList());
		}
		return list.get(list.size() - 1);
	}

	private void exchange(HttpExchange ex) throws IOException {
		try (ex) {
			byte[] raw = ex.getRequestBody().readAllBytes();
			Map<String, String> headers = new HashMap<>();
			ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
			JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
			Recorded r = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(headers), body);
			requests.add(r);
			pause(delayMillis);
			int fail = failStatus;
			if (fail != 0 && (r.path().endsWith("/chat") || r.path().endsWith("/chat/completions"))) {
				failWith(ex, fail);
				return;
			}
			handle(ex, r);
		} catch (IOException e) {
			// the client went away while we wrote
			aborted.incrementAndGet();
		}
	}

	protected abstract void handle(HttpExchange ex, Recorded r) throws IOException;

	private static void failWith(HttpExchange ex, int status) throws IOException {
		if (status == 429 || status == 503) {
			ex.getResponseHeaders().set("Retry-After", "2");
		}
		json(ex, status, Map.of("error", Map.of("message", "queue full (status " + status + ")", "type",
				status == 429 ? "rate_limit_error" : "server_error", "code", status)));
	}

	protected static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		ex.getResponseHeaders().set("Content-Type", contentType);
		ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
		if (bytes.length > 0) {
			ex.getResponseBody().write(bytes);
		}
	}

	protected static void json(HttpExchange ex, int status, Object body) throws IOException {
		send(ex, status, "application/json", body instanceof String s ? s : JSON.writeValueAsString(body));
	}

	/** Starts a chunked response; each {@link #piece} is flushed as it is written. */
	protected static OutputStream open(HttpExchange ex, String contentType) throws IOException {
		ex.getResponseHeaders().set("Content-Type", contentType);
		ex.getResponseHeaders().set("Cache-Control", "no-cache");
		ex.sendResponseHeaders(200, 0);
		return ex.getResponseBody();
	}

	protected void piece(OutputStream out, String text) throws IOException {
		out.write(text.getBytes(StandardCharsets.UTF_8));
		out.flush();
		pause(chunkDelayMillis);
	}

	protected static void pause(long millis) {
		if (millis > 0) {
			try {
				Thread.sleep(millis);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}
}
