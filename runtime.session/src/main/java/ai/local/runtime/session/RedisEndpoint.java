package ai.local.runtime.session;

import java.net.URI;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is: {@code host}, {@code host:port}, or {@code redis://[user:password@]host[:port][/db]}
 * ({@code rediss://} for TLS), read with Jedis' own URI rules. Credentials and a database in the URI fill in
 * those not configured otherwise.
 */
record RedisEndpoint(HostAndPort hostAndPort, boolean tls, String user, String password, Integer db) {
	static final int DEFAULT_PORT = 6379;

	static RedisEndpoint parse(String endpoint) {
		String e = endpoint.trim();
		try {
			if (!e.contains("://")) {
				return new RedisEndpoint(e.contains(":") ? HostAndPort.from(e) : new HostAndPort(e, DEFAULT_PORT), false,
						null, null, null);
			}
			URI uri = URI.create(e);
			if (!(JedisURIHelper.isRedisScheme(uri) || JedisURIHelper.isRedisSSLScheme(uri)) || uri.getHost() == null) {
				throw new IllegalArgumentException("not a redis:// URI");
			}
			return new RedisEndpoint(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()),
					JedisURIHelper.isRedisSSLScheme(uri), JedisURIHelper.getUser(uri), JedisURIHelper.getPassword(uri),
					JedisURIHelper.hasDbIndex(uri) ? JedisURIHelper.getDBIndex(uri) : null);
		} catch (RuntimeException bad) {
			throw new IllegalArgumentException("endpoint '" + e + "' must be host:port or "
					+ "redis://[user:password@]host:port[/db] (" + bad.getMessage() + ")", bad);
		}
	}
}
