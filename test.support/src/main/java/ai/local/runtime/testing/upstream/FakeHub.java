package ai.local.runtime.testing.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Hugging Face Hub's documented HTTP API, for tests (the Hub cannot be reached here): {@code GET
 * /api/models/ORG/REPO/tree/main} lists the files with their size and LFS sha256 oid; {@code GET
 * /ORG/REPO/resolve/main/FILE} answers 302 to {@code /blobs/SHA256}, which serves the bytes and honours
 * {@code Range: bytes=N-} with 206. A gated repository answers 401 without {@code Authorization: Bearer TOKEN}.
 * Faults for tests: cut a download after some bytes once, or serve bytes that do not match their oid.
 */
public final class FakeHub implements AutoCloseable {
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

	private record Repo(Map<String, byte[]> files, String token) {
	}

	private final Map<String, Repo> repos = new ConcurrentHashMap<>();
	private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
	private final Map<String, byte[]> served = new ConcurrentHashMap<>();
	private final List<String> ranges = new CopyOnWriteArrayList<>();
	private final List<String> requests = new CopyOnWriteArrayList<>();
	private volatile long cutAfter = -1;
	private volatile long bytesPerSecond = -1;
	private final HttpServer server;

	public FakeHub() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.setExecutor(Executors.newCachedThreadPool());
		server.createContext("/", this::handle);
		server.start();
	}

	/** The endpoint, for HF_ENDPOINT. */
	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** Adds a repository ({@code ORG/REPO}) with these files; {@code token} non-null makes it gated. */
	public FakeHub repo(String repo, Map<String, byte[]> files, String token) {
		Map<String, byte[]> copy = new LinkedHashMap<>(files);
		repos.put(repo, new Repo(copy, token));
		copy.values().forEach(b -> blobs.put(sha256(b), b));
		return this;
	}

	/** The next download stops after this many bytes (once): the connection closes mid-file. */
	public void cutNextDownloadAfter(long bytes) {
		cutAfter = bytes;
	}

	/** Downloads from now on trickle at about this rate (a negative one: full speed again). */
	public void throttle(long rate) {
		bytesPerSecond = rate;
	}

	/** From now on the file's blob serves {@code bytes} instead (its oid in the tree stays the true one). */
	public void corrupt(String repo, String file, byte[] bytes) {
		served.put(sha256(repos.get(repo).files().get(file)), bytes);
	}

	/** The Range headers of the downloads so far ("" for none). */
	public List<String> ranges() {
		return ranges;
	}

	/** Method and path of every request so far. */
	public List<String> requests() {
		return requests;
	}

	public static String sha256(byte[] b) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
		} catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private void handle(HttpExchange x) throws IOException {
		String path = x.getRequestURI().getPath();
		requests.add(x.getRequestMethod() + " " + path);
		try (x) {
			Matcher tree = Pattern.compile("/api/models/([^/]+/[^/]+)/tree/main/?").matcher(path);
			Matcher resolve = Pattern.compile("/([^/]+/[^/]+)/resolve/main/(.+)").matcher(path);
			if (tree.matches()) {
				Repo r = authorized(x, tree.group(1));
				if (r == null) {
					return;
				}
				ArrayNode list = JSON.createArrayNode();
				r.files().forEach((name, bytes) -> list.addObject().put("type", "file").put("path", name)
						.put("size", bytes.length).putObject("lfs").put("oid", sha256(bytes)).put("size", bytes.length)
						.put("pointerSize", 134));
				send(x, 200, "application/json", JSON.writeValueAsBytes(list));
			} else if (resolve.matches()) {
				Repo r = authorized(x, resolve.group(1));
				if (r == null) {
					return;
				}
				byte[] bytes = r.files().get(resolve.group(2));
				if (bytes == null) {
					send(x, 404, "application/json", "{\"error\":\"Entry not found\"}".getBytes(StandardCharsets.UTF_8));
					return;
				}
				x.getResponseHeaders().set("Location", "/blobs/" + sha256(bytes));
				x.getResponseHeaders().set("X-Linked-Size", Integer.toString(bytes.length));
				x.sendResponseHeaders(302, -1);
			} else if (path.startsWith("/blobs/")) {
				blob(x, path.substring(7));
			} else {
				send(x, 404, "application/json", "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
			}
		}
	}

	private Repo authorized(HttpExchange x, String name) throws IOException {
		Repo r = repos.get(name);
		if (r == null) {
			send(x, 404, "application/json", "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
			return null;
		}
		if (r.token() != null && !("Bearer " + r.token()).equals(x.getRequestHeaders().getFirst("Authorization"))) {
			send(x, 401, "application/json", ("{\"error\":\"Access to model " + name + " is restricted.\"}")
					.getBytes(StandardCharsets.UTF_8));
			return null;
		}
		return r;
	}

	private void blob(HttpExchange x, String sha) throws IOException {
		byte[] bytes = served.getOrDefault(sha, blobs.get(sha));
		if (bytes == null) {
			send(x, 404, "text/plain", new byte[0]);
			return;
		}
		String range = x.getRequestHeaders().getFirst("Range");
		ranges.add(range == null ? "" : range);
		int from = 0;
		if (range != null) {
			Matcher m = RANGE.matcher(range);
			if (m.matches()) {
				from = (int) Math.min(bytes.length, Long.parseLong(m.group(1)));
			}
		}
		int length = bytes.length - from;
		x.getResponseHeaders().set("Content-Type", "application/octet-stream");
		if (range != null) {
			x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
		}
		long cut = cutAfter;
		cutAfter = -1;
		// a cut download is chunked and ends early: the client sees the body end short of the file's size
		x.sendResponseHeaders(range != null ? 206 : 200, cut >= 0 && cut < length ? 0 : length);
		try (OutputStream out = x.getResponseBody()) {
			int end = from + (cut >= 0 && cut < length ? (int) cut : length);
			long rate = bytesPerSecond;
			if (rate <= 0) {
				out.write(bytes, from, end - from);
				return;
			}
			int chunk = (int) Math.max(1, rate / 10);
			for (int at = from; at < end; at += chunk) {
				out.write(bytes, at, Math.min(chunk, end - at));
				out.flush();
				try {
					Thread.sleep(100);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		} catch (IOException clientLeft) {
			// the client hung up mid-file
		}
	}

	private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
		x.getResponseHeaders().set("Content-Type", type);
		x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
		if (body.length > 0) {
			x.getResponseBody().write(body);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
