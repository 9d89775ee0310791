package ai.local.runtime.session;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where Redis is: {@code host}, {@code host:port}, or {@code redis://[user:password@]host[:port][/db]}
 * ({@code rediss://} for TLS). Credentials and a database in the URI fill in those not configured otherwise.
 */
record RedisEndpoint(String host, int port, boolean tls, String user, String password, Integer db) {
	static final int DEFAULT_PORT = 6379;

	static RedisEndpoint parse(String endpoint) {
		String e = endpoint.trim();
		if (e.startsWith("redis://") || e.startsWith("rediss://")) {
			URI uri;
			try {
				uri = URI.create(e);
			} catch (IllegalArgumentException bad) {
				throw new IllegalArgumentException("endpoint '" + e + "' is not a valid redis:// URI");
			}
			if (uri.getHost() == null) {
				throw new IllegalArgumentException("endpoint '" + e + "' names no host");
			}
			String user = null;
			String password = null;
			if (uri.getRawUserInfo() != null) {
				String[] parts = uri.getRawUserInfo().split(":", 2);
				user = parts.length == 2 ? decode(parts[0]) : null;
				password = decode(parts[parts.length - 1]);
			}
			Integer db = null;
			String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
			if (!path.isEmpty()) {
				try {
					db = Integer.parseInt(path);
				} catch (NumberFormatException bad) {
					throw new IllegalArgumentException("endpoint '" + e + "': the path must be a database number");
				}
			}
			return new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
					e.startsWith("rediss://"), user == null || user.isEmpty() ? null : user, password, db);
		}
		int colon = e.lastIndexOf(':');
		if (colon < 0) {
			return new RedisEndpoint(e, DEFAULT_PORT, false, null, null, null);
		}
		try {
			return new RedisEndpoint(e.substring(0, colon), Integer.parseInt(e.substring(colon + 1)), false, null,
					null, null);
		} catch (NumberFormatException bad) {
			throw new IllegalArgumentException("endpoint '" + e + "' must be host:port");
		}
	}

	private static String decode(String s) {
		return URLDecoder.decode(s, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return host + ":" + port;
	}
}
