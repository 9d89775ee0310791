package ai.local.runtime.provider.openai.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One upstream server as a provider sees it.
 *
 * @param provider the provider name (model-id prefix), used in every message about this upstream
 * @param baseUrl scheme, host, port and path prefix, without a trailing slash, e.g. {@code http://h:8000/v1};
 *        endpoint paths are appended to it
 * @param apiKey sent as {@code Authorization: Bearer}; null for none
 * @param forwardCallerKey send the key the client presented to the runtime instead of {@code apiKey} (which
 *        stays the fallback for clients that presented none)
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout how long to wait for the response to start, and then between two pieces of it
 * @param maxConnections connections kept to this upstream at most
 * @param staticModels model ids to list instead of asking the upstream; empty to ask it
 * @param modelsCacheTtl how long a fetched model list is served from memory
 */
public record Upstream(String provider, String baseUrl, String apiKey, boolean forwardCallerKey,
		Duration connectTimeout, Duration readTimeout, int maxConnections, List<String> staticModels,
		Duration modelsCacheTtl) {

	public Upstream {
		baseUrl = stripSlash(baseUrl);
		staticModels = staticModels == null ? List.of() : List.copyOf(staticModels);
		apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
	}

	/**
	 * The base URL for a configured host: {@code host} may omit the scheme ({@code 10.0.0.5:11434}) and the
	 * port ({@code defaultPort}); {@code pathPrefix} is appended unless null, and a path already in
	 * {@code host} wins over {@code defaultPrefix}.
	 *
	 * @throws IllegalArgumentException when it is not a usable http(s) URL
	 */
	public static String baseUrl(String host, int defaultPort, String pathPrefix, String defaultPrefix) {
		String text = host.trim();
		if (!text.contains("://")) {
			text = "http://" + text;
		}
		URI uri = URI.create(stripSlash(text));
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
			throw new IllegalArgumentException("'" + host + "' is not an http(s) address");
		}
		if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
			throw new IllegalArgumentException("'" + host + "' must not carry a query, fragment or user info");
		}
		int port = uri.getPort() > 0 ? uri.getPort() : defaultPort;
		String hostPart = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
				: uri.getHost();
		String path = uri.getRawPath() == null ? "" : uri.getRawPath();
		String prefix = pathPrefix != null ? pathPrefix : path.isEmpty() ? defaultPrefix : "";
		prefix = prefix == null || prefix.isBlank() ? "" : "/" + stripSlash(prefix.trim()).replaceAll("^/+", "");
		return stripSlash(uri.getScheme() + "://" + hostPart + (port > 0 ? ":" + port : "") + path + prefix);
	}

	/** How messages name this upstream: {@code 'ollama' (http://127.0.0.1:11434)}. */
	public String label() {
		return "'" + provider + "' (" + baseUrl + ")";
	}

	public String url(String path) {
		return baseUrl + path;
	}

	/** The key to send for a request whose client presented {@code callerKey}; null for none. */
	public String keyFor(String callerKey) {
		return forwards(callerKey) ? callerKey : apiKey;
	}

	/** Whether {@code callerKey} is what goes upstream (so a refusal is the caller's, not the runtime's). */
	public boolean forwards(String callerKey) {
		return forwardCallerKey && callerKey != null && !callerKey.isBlank();
	}

	private static String stripSlash(String s) {
		String out = s;
		while (out.endsWith("/")) {
			out = out.substring(0, out.length() - 1);
		}
		return out;
	}
}
