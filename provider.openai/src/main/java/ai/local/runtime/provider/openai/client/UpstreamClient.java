package ai.local.runtime.provider.openai.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.IdleConnectionEvictor;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.ErrorType;

/**
 * Pooled HTTP/1.1 to one upstream (Apache HttpClient 5). A streamed body is read on the calling thread as it
 * arrives, line by line, so every chunk reaches the client at once and a slow client slows the upstream
 * instead of filling memory; a client that goes away aborts the upstream request (its connection is closed,
 * which makes Ollama, vLLM and llama-server stop generating). {@link #configure} applies new settings to
 * the next request; requests already running keep theirs.
 * <p>
 * HttpClient's minimal client: an upstream here is a plain HTTP/1.1 server, so the full client's exec chain
 * (redirects, authentication challenges, cookies, proxies, retries: all turned off anyway) would only cost time
 * on every request; the pool, timeouts, stale-connection checks and cancellation are the same.
 */
public final class UpstreamClient implements AutoCloseable {
	private static final int MAX_BODY = 64 << 20;
	private static final int PREALLOCATE = 1 << 20;

	private final PoolingHttpClientConnectionManager pool;
	private final CloseableHttpClient http;
	private final IdleConnectionEvictor evictor;
	private final AtomicInteger running = new AtomicInteger();
	private final AtomicBoolean closed = new AtomicBoolean();
	private volatile boolean retiring;
	private volatile Target target;
	private volatile Runnable onUnreachable = () -> {
	};

	/**
	 * The settings of the next requests, with what is made from them once: the request configuration, the
	 * host and the parsed URI of each endpoint path.
	 */
	private record Target(Upstream upstream, RequestConfig config, HttpHost host, Map<String, URI> uris) {
		Target(Upstream upstream, RequestConfig config) {
			this(upstream, config, HttpHost.create(URI.create(upstream.baseUrl())), new ConcurrentHashMap<>());
		}

		URI uri(String path) {
			return uris.computeIfAbsent(path, p -> URI.create(upstream.url(p)));
		}
	}

	public UpstreamClient(Upstream upstream) {
		this.pool = PoolingHttpClientConnectionManagerBuilder.create().build();
		this.http = HttpClients.createMinimal(pool);
		this.evictor = new IdleConnectionEvictor(pool, TimeValue.ofSeconds(30));
		evictor.start();
		configure(upstream);
	}

	public void configure(Upstream next) {
		pool.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(next.connectTimeout()))
				.setSocketTimeout(Timeout.of(next.readTimeout()))
				// a pooled connection the upstream closed (restart) is noticed before a request is sent on it
				.setValidateAfterInactivity(TimeValue.ofMilliseconds(500)).build());
		pool.setMaxTotal(next.maxConnections());
		pool.setDefaultMaxPerRoute(next.maxConnections());
		this.target = new Target(next, RequestConfig.custom().setResponseTimeout(Timeout.of(next.readTimeout()))
				.setConnectionRequestTimeout(Timeout.of(next.readTimeout())).build());
	}

	public Upstream upstream() {
		return target.upstream();
	}

	/** Runs {@code action} whenever a request finds the upstream unreachable (e.g. to forget cached lists). */
	public void onUnreachable(Runnable action) {
		this.onUnreachable = action;
	}

	/** GET {@code path} as JSON. */
	public JsonNode get(String path, String callerKey) {
		Target t = target;
		return json(t.upstream(), send(t, new HttpGet(t.uri(path)), callerKey), callerKey);
	}

	/** POST {@code body} to {@code path}, the answer as JSON. */
	public JsonNode post(String path, JsonNode body, String callerKey) {
		Target t = target;
		return json(t.upstream(), send(t, post(t, path, body), callerKey), callerKey);
	}

	/** Reads a response body as it arrives. */
	@FunctionalInterface
	public interface BodyReader {
		/** Reads {@code body} until done; a premature return leaves the rest unread. */
		void read(BufferedReader body) throws IOException;
	}

	/**
	 * POSTs {@code body} and hands the response body to {@code reader} as it streams in. Returns quietly when
	 * the client went away ({@link ChatSink#cancelled()}); an error answer or a broken connection throws an
	 * {@link ApiException} naming the upstream.
	 */
	public void stream(String path, JsonNode body, String callerKey, ChatSink sink, BodyReader reader) {
		Target t = target;
		Upstream u = t.upstream();
		HttpPost request = post(t, path, body);
		prepare(t, request, callerKey);
		sink.onCancel(request::cancel);
		running.incrementAndGet();
		try (ClassicHttpResponse response = http.executeOpen(t.host(), request, null)) {
			HttpEntity entity = response.getEntity();
			if (response.getCode() >= 300) {
				throw failure(u, response.getCode(), text(bytes(entity)), response.getFirstHeader("Retry-After"),
						callerKey);
			}
			if (entity == null) {
				throw UpstreamErrors.garbled(u, "an empty response", "");
			}
			InputStream in = entity.getContent();
			reader.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
			if (!sink.cancelled()) {
				// read to the end so the connection goes back to the pool
				EntityUtils.consume(entity);
			}
		} catch (IOException e) {
			if (!sink.cancelled()) {
				throw io(u, e);
			}
		} finally {
			finished();
		}
	}

	private record Answer(int status, byte[] body, Header retryAfter) {
	}

	private Answer send(Target t, HttpUriRequestBase request, String callerKey) {
		prepare(t, request, callerKey);
		running.incrementAndGet();
		try (ClassicHttpResponse response = http.executeOpen(t.host(), request, null)) {
			return new Answer(response.getCode(), bytes(response.getEntity()), response.getFirstHeader("Retry-After"));
		} catch (IOException e) {
			throw io(t.upstream(), e);
		} finally {
			finished();
		}
	}

	private ApiException io(Upstream u, IOException e) {
		ApiException error = UpstreamErrors.io(u, e);
		if (error.type() == ErrorType.UNAVAILABLE) {
			onUnreachable.run();
		}
		return error;
	}

	private void finished() {
		if (running.decrementAndGet() == 0 && retiring) {
			close();
		}
	}

	/** Closes once the requests running now have finished (at once when none is). */
	public void closeWhenIdle() {
		retiring = true;
		if (running.get() == 0) {
			close();
		}
	}

	private JsonNode json(Upstream u, Answer a, String callerKey) {
		if (a.status() >= 300) {
			throw failure(u, a.status(), text(a.body()), a.retryAfter(), callerKey);
		}
		try {
			JsonNode node = OpenAiWire.MAPPER.readTree(a.body());
			if (node == null || node.isMissingNode()) {
				throw UpstreamErrors.garbled(u, "an empty response", "");
			}
			return node;
		} catch (IOException e) {
			throw UpstreamErrors.garbled(u, "a response that is not JSON", text(a.body()));
		}
	}

	private ApiException failure(Upstream u, int status, String body, Header retryAfter, String callerKey) {
		return UpstreamErrors.status(u, status, body, retryAfter == null ? null : retryAfter.getValue(),
				u.forwards(callerKey));
	}

	private static HttpPost post(Target t, String path, JsonNode body) {
		HttpPost post = new HttpPost(t.uri(path));
		try {
			post.setEntity(new ByteArrayEntity(OpenAiWire.MAPPER.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("a JSON tree always serializes", e);
		}
		return post;
	}

	private static void prepare(Target t, HttpUriRequestBase request, String callerKey) {
		request.setConfig(t.config());
		String key = t.upstream().keyFor(callerKey);
		if (key != null) {
			request.setHeader("Authorization", "Bearer " + key);
		}
		request.setHeader("Accept", "application/json, text/event-stream, application/x-ndjson");
		request.setHeader("User-Agent", "local-ai-runtime");
	}

	private static byte[] bytes(HttpEntity entity) throws IOException {
		if (entity == null) {
			return new byte[0];
		}
		long declared = entity.getContentLength();
		try (InputStream in = entity.getContent()) {
			if (declared >= 0 && declared <= PREALLOCATE) {
				// exactly the declared size (readNBytes(max) starts with 16 KiB); larger bodies grow as they arrive
				byte[] body = new byte[(int) declared];
				int read = in.readNBytes(body, 0, body.length);
				return read == body.length ? body : Arrays.copyOf(body, read);
			}
			return in.readNBytes(MAX_BODY);
		}
	}

	private static String text(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		if (!closed.compareAndSet(false, true)) {
			return;
		}
		evictor.shutdown();
		http.close(CloseMode.GRACEFUL);
		pool.close(CloseMode.IMMEDIATE);
	}
}
