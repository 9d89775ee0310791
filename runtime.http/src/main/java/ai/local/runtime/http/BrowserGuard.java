package ai.local.runtime.http;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Keeps web pages the user visits from driving the runtime (the hole Ollama and llama-server each shipped as a
 * CVE): a Host header that is not the runtime's own is refused (DNS rebinding), a request from another origin is
 * refused unless {@code cors.origins} lets that origin in (then it gets proper CORS headers and preflights), and
 * an API request with a body must say it is JSON, so that no cross-site "simple" request (text/plain, a form)
 * can reach the API without a preflight. Runs before every other filter of the runtime's paths.
 */
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterAsyncSupported
@Component(service = Filter.class, configurationPid = HttpConfig.PID, property = "service.ranking:Integer=1000")
public class BrowserGuard implements Filter {
	private static final Logger LOG = LoggerFactory.getLogger("runtime.http.requests");
	private static final String EXPOSED = "x-session-id, x-request-id, x-runtime-trace, x-runtime-context-trimmed, "
			+ "x-should-retry, Retry-After";

	private final BundleContext context;
	private volatile HttpSettings settings;

	@Activate
	public BrowserGuard(BundleContext context, HttpConfig config) {
		this.context = context;
		configure(config);
	}

	@Modified
	void configure(HttpConfig config) {
		settings = HttpSettings.of(config, SettingsReader.environment(context));
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest req = (HttpServletRequest) request;
		HttpServletResponse resp = (HttpServletResponse) response;
		HttpSettings s = settings;
		String path = req.getRequestURI().substring(req.getContextPath().length());
		Dialect dialect = Dialect.of(path);
		try {
			String host = hostName(req.getHeader("Host"));
			if (host != null && !hostAllowed(host, s)) {
				throw new ApiException(ErrorType.PERMISSION, "Host '" + host + "' is not served here; add it to "
						+ "allowed.hosts (RUNTIME_ALLOWED_HOSTS) to reach the runtime by that name", null,
						"host_not_allowed", null, null);
			}
			String origin = req.getHeader("Origin");
			if (origin != null && !sameOrigin(origin, req.getHeader("Host"))) {
				if (!originAllowed(origin, s)) {
					throw new ApiException(ErrorType.PERMISSION, "Requests from web pages of other origins are not "
							+ "allowed; add the origin to cors.origins (RUNTIME_CORS_ORIGINS) to allow it", null,
							"origin_not_allowed", null, null);
				}
				resp.setHeader("Access-Control-Allow-Origin", origin);
				resp.addHeader("Vary", "Origin");
				if ("OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null) {
					preflight(req, resp);
					return;
				}
				resp.setHeader("Access-Control-Expose-Headers", EXPOSED);
			}
			if (api(path) && hasBody(req) && !json(req.getContentType())) {
				throw new ApiException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "The request body must be JSON: send "
						+ "'Content-Type: application/json' (got " + (req.getContentType() == null ? "none"
								: "'" + req.getContentType() + "'") + ")", null, "unsupported_media_type", null, null);
			}
		} catch (ApiException e) {
			LOG.info("{} {} refused: {} (Host {}, Origin {})", req.getMethod(), ApiFilter.loggable(path), e.getMessage(),
					req.getHeader("Host"), req.getHeader("Origin"));
			resp.setHeader("Connection", "close"); // its body, if any, is not read
			ErrorWriter.write(resp, e, dialect);
			return;
		}
		chain.doFilter(req, resp);
	}

	private static void preflight(HttpServletRequest req, HttpServletResponse resp) {
		resp.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
		String headers = req.getHeader("Access-Control-Request-Headers");
		if (headers != null && !headers.isBlank()) {
			resp.setHeader("Access-Control-Allow-Headers", headers.replaceAll("[^A-Za-z0-9,\\- ]", ""));
		}
		resp.setHeader("Access-Control-Max-Age", "600");
		resp.setStatus(204);
	}

	static boolean api(String path) {
		return path.startsWith("/v1/") || path.startsWith("/api/v1/");
	}

	private static boolean hasBody(HttpServletRequest req) {
		return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
	}

	/** application/json or any application/*+json, with or without parameters. */
	static boolean json(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
		return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
	}

	/** The host name of a Host header, lower-cased, without port or IPv6 brackets; null when absent. */
	static String hostName(String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String h = header.trim().toLowerCase(Locale.ROOT);
		if (h.startsWith("[")) {
			int end = h.indexOf(']');
			return end < 0 ? h : h.substring(1, end);
		}
		int colon = h.indexOf(':');
		return colon < 0 ? h : h.substring(0, colon);
	}

	static boolean hostAllowed(String host, HttpSettings s) {
		if (HttpSettings.loopbackName(host)) {
			return true;
		}
		String h = s.listenHost();
		String listen = hostName(h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h);
		if (listen.equals("0.0.0.0") || listen.equals("::") || listen.isEmpty()) {
			// every interface: clients use any name or address of the machine, and API keys are required there
			return s.allowedHosts().isEmpty() || s.allowedHosts().contains(host) || s.allowedHosts().contains("*");
		}
		return host.equals(listen) || s.allowedHosts().contains(host) || s.allowedHosts().contains("*");
	}

	static boolean originAllowed(String origin, HttpSettings s) {
		String o = origin.trim().toLowerCase(Locale.ROOT);
		return s.corsOrigins().contains("*") || s.corsOrigins().contains(o);
	}

	/** Whether the page's origin is this server as the browser addressed it (the console's playground). */
	static boolean sameOrigin(String origin, String host) {
		if (host == null) {
			return false;
		}
		try {
			URI o = URI.create(origin.trim());
			if (!"http".equalsIgnoreCase(o.getScheme()) && !"https".equalsIgnoreCase(o.getScheme())
					|| o.getRawAuthority() == null) {
				return false; // "null" (a sandboxed page, a file), or not a web origin
			}
			String authority = o.getRawAuthority().toLowerCase(Locale.ROOT);
			String h = host.trim().toLowerCase(Locale.ROOT);
			return authority.equals(h) || authority.equals(h + ":80") && "http".equalsIgnoreCase(o.getScheme())
					|| (h.endsWith(":80") && authority.equals(h.substring(0, h.length() - 3)));
		} catch (IllegalArgumentException e) {
			return false;
		}
	}
}
