package ai.local.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterDispatcher;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.settings.SettingsReader;

/**
 * In front of every API endpoint: the prefix mode, API keys, the body size limit (the body is read here, once,
 * as it arrives, and handed on as a request attribute to the endpoint, which runs in an async dispatch once the
 * body is whole), one log line per request and the request metrics.
 */
@HttpWhiteboardFilterPattern({ "/v1/*", "/api/*", "/apply-template", "/tokenize", "/detokenize", "/models/load",
		"/models/unload", "/completion", "/completions", "/infill", "/rerank", "/reranking" })
@HttpWhiteboardFilterAsyncSupported
@HttpWhiteboardFilterDispatcher({ DispatcherType.REQUEST, DispatcherType.ASYNC })
@Component(service = Filter.class, configurationPid = HttpConfig.PID)
public class ApiFilter implements Filter {
	static final String BODY = "runtime.body";
	static final String EXCHANGE = "runtime.exchange";
	/** Bytes a second a body must arrive at, at least (a trickling client would hold a thread). */
	private static final long MIN_BODY_RATE = 1024;
	private static final Set<String> ENDPOINTS = Set.of("models", "chat/completions", "embeddings", "responses",
			"messages", "messages/count_tokens", "completions", "rerank", "/infill", "/api/chat", "/api/generate",
			"/api/embed", "/api/embeddings", "/api/tags", "/api/show");
	private static final Set<String> KNOWN_ROOTS = Set.of("models", "chat", "embeddings", "responses", "messages",
			"mcp", "completions", "health", "metrics", "ready", "apply-template", "tokenize", "detokenize", "api", "infill",
			"rerank", "reranking", "completion");
	private static final Logger LOG = LoggerFactory.getLogger("runtime.http.requests");

	private final Metrics metrics;
	private final LiveRequestTracker live;
	private final BundleContext context;
	private volatile HttpSettings settings;
	private volatile ApiKeys keys;
	private volatile boolean logRequests;

	@Activate
	public ApiFilter(@Reference Metrics metrics, @Reference LiveRequestTracker live, BundleContext context,
			HttpConfig config) {
		this.metrics = metrics;
		this.live = live;
		this.context = context;
		configure(config);
	}

	@Modified
	void configure(HttpConfig config) {
		HttpSettings s = HttpSettings.of(config, SettingsReader.environment(context));
		this.keys = new ApiKeys(s.apiKeys());
		this.logRequests = config.log_requests();
		this.settings = s;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest req = (HttpServletRequest) request;
		HttpServletResponse resp = (HttpServletResponse) response;
		if (req.getDispatcherType() == DispatcherType.ASYNC) {
			Exchange x = (Exchange) req.getAttribute(EXCHANGE);
			if (x != null) {
				x.proceed(req, resp, chain); // the body has arrived
			} else {
				chain.doFilter(req, resp);
			}
			return;
		}
		String path = req.getRequestURI().substring(req.getContextPath().length());
		RequestRecord record = new RequestRecord(endpoint(path), ApiKeys.presented(req));
		req.setAttribute(RequestRecord.ATTRIBUTE, record);
		record.clientPresent = ClientPresence.of(req);
		Exchange x = new Exchange(record, path);
		metrics.started();
		live.started(record);
		boolean async = false;
		try {
			HttpSettings s = settings;
			if (!s.prefixMode().allows(path)) {
				throw ApiException.notFound("Unknown endpoint " + path + " (api.prefix.mode=" + s.prefixMode()
						.name().toLowerCase(Locale.ROOT) + ")");
			}
			if (keys.enabled() && !keys.accepts(record.callerKey) && !(bodyMayHoldKey(path) && hasBody(req))) {
				throw unauthorized();
			}
			if (hasBody(req) && req.isAsyncSupported() && !arrived(req)) {
				// the body is read as it arrives, without a thread: a client that trickles it holds none
				req.setAttribute(EXCHANGE, x);
				AsyncBody.start(req, resp, x, s, MIN_BODY_RATE);
				async = true;
				return;
			}
			if (hasBody(req)) {
				req.setAttribute(BODY, readBody(req, s));
			}
			x.proceed(req, resp, chain);
		} catch (ApiException e) {
			x.refuse(req, resp, e);
		} finally {
			if (!async) {
				x.finish(req, resp);
			}
		}
	}

	/** A request from the moment its headers arrived: what it is, and the one place it ends. */
	final class Exchange {
		final RequestRecord record;
		final String path;
		final Dialect dialect;
		final long start = System.nanoTime();
		private final AtomicBoolean finished = new AtomicBoolean();

		Exchange(RequestRecord record, String path) {
			this.record = record;
			this.path = path;
			this.dialect = Dialect.of(path);
		}

		/** With the body read: the key check a body may answer, then the endpoint. */
		void proceed(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
				throws IOException, ServletException {
			try {
				ApiKeys k = keys;
				if (k.enabled() && !k.accepts(record.callerKey)) {
					Object body = req.getAttribute(BODY);
					String inBody = body instanceof byte[] b ? ApiKeys.fromBody(b) : null;
					if (!k.accepts(inBody)) {
						throw unauthorized();
					}
					record.callerKey = inBody;
				}
				chain.doFilter(req, resp);
			} catch (ApiException e) {
				ErrorWriter.write(resp, e, dialect);
			} finally {
				finish(req, resp);
			}
		}

		/** Refused before its body was read: close, or the unread body corrupts the next request. */
		void refuse(HttpServletRequest req, HttpServletResponse resp, ApiException e) throws IOException {
			if (req.getAttribute(BODY) == null && hasBody(req)) {
				resp.setHeader("Connection", "close");
			}
			ErrorWriter.write(resp, e, dialect);
		}

		/** Once: the live list, the metrics and the log line. */
		void finish(HttpServletRequest req, HttpServletResponse resp) {
			if (!finished.compareAndSet(false, true)) {
				return;
			}
			long nanos = System.nanoTime() - start;
			live.finished(record);
			int status = record.failedStatus != 0 ? record.failedStatus : resp.getStatus();
			metrics.finished(record, status, nanos);
			if (logRequests) {
				log(req, status, record, path, nanos);
			}
		}
	}

	/**
	 * Whether the whole body is already buffered (a small body comes with its headers): then reading it cannot
	 * block, and the asynchronous read and its second dispatch are not worth their cost.
	 */
	private static boolean arrived(HttpServletRequest req) throws IOException {
		long declared = req.getContentLengthLong();
		return declared > 0 && declared <= BodyReader.PREALLOCATE && req.getInputStream().available() >= declared;
	}

	/** Chat completions may carry the key in the body (the C++ original's documented form). */
	private static boolean bodyMayHoldKey(String path) {
		return path.endsWith("/chat/completions");
	}

	static ApiException unauthorized() {
		return new ApiException(ErrorType.AUTHENTICATION, "Incorrect or missing API key. Send it as "
				+ "'Authorization: Bearer <key>', 'x-api-key' or 'api-key'.", null, "invalid_api_key", null, null);
	}

	private static boolean hasBody(HttpServletRequest req) {
		return ("POST".equals(req.getMethod()) || "PUT".equals(req.getMethod()) || "DELETE".equals(req.getMethod()))
				&& req.getContentLengthLong() != 0;
	}

	private static byte[] readBody(HttpServletRequest req, HttpSettings s) throws IOException {
		try (InputStream in = req.getInputStream()) {
			return new BodyReader(s.maxBodyBytes(), Duration.ofSeconds(s.bodyTimeoutSeconds()), MIN_BODY_RATE,
					System::nanoTime).read(in, req.getContentLengthLong(), s.tooLarge());
		}
	}

	/**
	 * The endpoint without its prefix ({@code /v1/chat/completions} and /api/v1/... → chat/completions); any
	 * other path is "other", so clients cannot grow the metric labels.
	 */
	static String endpoint(String path) {
		String p = path.startsWith("/api/v1/") ? path.substring(8) : path.startsWith("/v1/") ? path.substring(4) : path;
		p = p.startsWith("models/") ? "models" : p;
		return ENDPOINTS.contains(p) ? p : "other";
	}

	/**
	 * The path as the log shows it: a path the API does not serve may be a key pasted into a base URL
	 * ({@code /v1/sk-.../chat/completions}), so only its prefix is shown.
	 */
	static String loggable(String path) {
		String prefix = path.startsWith("/api/v1/") ? "/api/v1/" : path.startsWith("/v1/") ? "/v1/" : "/";
		String rest = path.substring(prefix.length());
		int slash = rest.indexOf('/');
		String first = slash < 0 ? rest : rest.substring(0, slash);
		return KNOWN_ROOTS.contains(first) ? path : prefix + "(unknown path of " + rest.length() + " characters)";
	}

	private static void log(HttpServletRequest req, int status, RequestRecord r, String path, long nanos) {
		if (!LOG.isInfoEnabled()) {
			return;
		}
		// the path only (the query string may hold an api_key), and of an unknown path not even that
		String stream = !r.streamed ? "" : r.failedStatus != 0 ? " stream failed in-band" : " stream";
		LOG.info("{} {} model={} provider={} status={} {}ms{} tokens={}/{}", req.getMethod(), loggable(path),
				r.model == null ? "-" : r.model, r.provider == null ? "-" : r.provider, status, nanos / 1_000_000,
				stream, r.usage == null ? 0 : r.usage.promptTokens(), r.usage == null ? 0 : r.usage.completionTokens());
	}
}
