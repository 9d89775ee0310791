package ai.local.runtime.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One MCP server's settings, checked.
 *
 * @param url the endpoint URL (streamable-http, sse); null for stdio
 * @param command the command line (stdio); empty otherwise
 */
record McpSettings(String name, Transport transport, URI url, List<String> command, Map<String, String> headers,
		Duration connectTimeout, Duration requestTimeout, int maxInFlight, Duration reconnectMax) {

	/** The defaults of {@link McpConfig}, which MCP_HOST / MCP_HOSTS servers get too. */
	static final long CONNECT_TIMEOUT_MS = 10_000;
	static final long REQUEST_TIMEOUT_MS = 60_000;
	static final int MAX_IN_FLIGHT = 8;
	static final long RECONNECT_MAX_MS = 30_000;

	enum Transport {
		STREAMABLE_HTTP("streamable-http"), SSE("sse"), STDIO("stdio");

		final String label;

		Transport(String label) {
			this.label = label;
		}

		static Transport of(String label) {
			for (Transport t : values()) {
				if (t.label.equalsIgnoreCase(label.trim())) {
					return t;
				}
			}
			throw new IllegalArgumentException("transport must be streamable-http, sse or stdio, not '" + label + "'");
		}
	}

	static McpSettings of(McpConfig c, String name) {
		Transport transport = Transport.of(c.transport());
		URI url = null;
		List<String> command = List.of();
		if (transport == Transport.STDIO) {
			command = List.of(c.command().trim().split("\\s+"));
			if (c.command().isBlank()) {
				throw new IllegalArgumentException("transport stdio needs a command");
			}
		} else {
			url = url(c.url(), transport);
		}
		return new McpSettings(name, transport, url, command, headers(c.headers()),
				Duration.ofMillis(Math.max(100, c.connect_timeout_ms())),
				Duration.ofMillis(Math.max(100, c.request_timeout_ms())), Math.max(1, c.max_in_flight()),
				Duration.ofMillis(Math.max(500, c.reconnect_max_ms())));
	}

	/** A server named only by its URL (MCP_HOST / MCP_HOSTS): SSE when the path ends in /sse. */
	static McpSettings ofUrl(String name, String url) {
		String u = url.contains("://") ? url : "http://" + url;
		Transport transport = URI.create(u).getPath().endsWith("/sse") ? Transport.SSE : Transport.STREAMABLE_HTTP;
		return new McpSettings(name, transport, url(u, transport), List.of(), Map.of(),
				Duration.ofMillis(CONNECT_TIMEOUT_MS), Duration.ofMillis(REQUEST_TIMEOUT_MS), MAX_IN_FLIGHT,
				Duration.ofMillis(RECONNECT_MAX_MS));
	}

	private static URI url(String text, Transport transport) {
		if (text.isBlank()) {
			throw new IllegalArgumentException("transport " + transport.label + " needs a url");
		}
		URI uri = URI.create(text.trim());
		if (uri.getScheme() == null || uri.getHost() == null) {
			throw new IllegalArgumentException("url must be http(s)://host[:port]/path, not '" + Redact.text(text) + "'");
		}
		if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
			uri = uri.resolve(transport == Transport.SSE ? "/sse" : "/mcp");
		}
		return uri;
	}

	private static Map<String, String> headers(String text) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			int colon = line.indexOf(':');
			if (!line.isBlank() && colon > 0) {
				headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
			} else if (!line.isBlank()) {
				throw new IllegalArgumentException("a header must be 'Name: value', not '" + line.trim() + "'");
			}
		}
		return headers;
	}

	/** Where the server is, for logs and listings; never a header value, a password or a token. */
	String address() {
		return Redact.text(transport == Transport.STDIO ? String.join(" ", command) : url.toString());
	}

	/** The URL's scheme, host and port: what the SDK's HTTP transports take as base. */
	String base() {
		return url.getScheme() + "://" + url.getRawAuthority();
	}

	/** The URL's path and query: the SDK's endpoint. */
	String endpoint() {
		return url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
	}
}
