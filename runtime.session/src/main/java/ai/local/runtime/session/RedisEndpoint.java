package ai.local.runtime.session;

import java.net.URI;
import java.util.Locale;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is: {@code host}, {@code host:port}, {@code http://host:port} or {@code tcp://host:port} (the C++
 * original's documented forms, read as plain host:port), or {@code redis://[user:password@]host[:port][/db]}
 * ({@code rediss://} for TLS), read with Jedis' own URI rules. Credentials and a database in the URI fill in
 * those not configured otherwise.
 */
record RedisEndpoint(HostAndPort hostAndPort, boolean tls, String user, String password, Integer db) {
	static final int DEFAULT_PORT = 6379;

	static RedisEndpoint parse(String endpoint) {
		String e = endpoint.trim();
		try {
			if (!e.contains("://")) {
				return plain(e);
			}
			URI uri = URI.create(e);
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if (scheme.equals("http") || scheme.equals("tcp")) {
				if (uri.getHost() == null || uri.getRawUserInfo() != null || !(uri.getRawPath() == null
						|| uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) || uri.getRawQuery() != null) {
					throw new IllegalArgumentException(scheme + ":// takes host:port only");
				}
				return new RedisEndpoint(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()),
						false, null, null, null);
			}
			if (!(JedisURIHelper.isRedisScheme(uri) || JedisURIHelper.isRedisSSLScheme(uri)) || uri.getHost() == null) {
				throw new IllegalArgumentException("not a redis:// URI");
			}
			return new RedisEndpoint(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()),
					JedisURIHelper.isRedisSSLScheme(uri), JedisURIHelper.getUser(uri), JedisURIHelper.getPassword(uri),
					JedisURIHelper.hasDbIndex(uri) ? JedisURIHelper.getDBIndex(uri) : null);
		} catch (RuntimeException bad) {
			throw new IllegalArgumentException("endpoint '" + redacted(e) + "' must be host:port, http://host:port or "
					+ "redis://[user:password@]host:port[/db] (" + redacted(String.valueOf(bad.getMessage())) + ")", bad);
		}
	}

	private static RedisEndpoint plain(String e) {
		return new RedisEndpoint(e.contains(":") ? HostAndPort.from(e) : new HostAndPort(e, DEFAULT_PORT), false, null,
				null, null);
	}

	/** The endpoint without the credentials a URI may carry, for messages and logs. */
	static String redacted(String text) {
		return text.replaceAll("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@", "$1***@");
	}

	@Override
	public String toString() {
		return (tls ? "rediss://" : "redis://") + hostAndPort + (db == null ? "" : "/" + db);
	}
}
