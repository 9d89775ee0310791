package ai.local.runtime.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import ai.local.runtime.api.SessionInfo;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Sessions in Redis (or MiniMemory, which speaks RESP): key {@code session:<namespace>:<id>} is a list with one
 * JSON turn per element, so an append is one RPUSH (concurrent turns on one session, from this node or
 * another, all land) and a replace builds a new list under a private key and RENAMEs it over the old one.
 * Only plain data commands and pipelining are used: no MULTI, no scripts, no SCAN cursors beyond reset.
 */
final class RedisBackend implements Backend {
	private final RedisClient client;
	private final String prefix;
	private final long ttlSeconds;

	RedisBackend(SessionSettings s) {
		RedisEndpoint endpoint = RedisEndpoint.parse(s.endpoint());
		String user = !s.user().isEmpty() ? s.user() : endpoint.user();
		String password = !s.password().isEmpty() ? s.password() : endpoint.password();
		int db = endpoint.db() != null && s.db() == 0 ? endpoint.db() : s.db();
		int timeout = (int) s.timeout().toMillis();
		DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeout)
				.socketTimeoutMillis(timeout).database(db).ssl(endpoint.tls());
		if (s.type() == SessionSettings.Type.MINIMEMORY) {
			// MiniMemory speaks RESP2 and the data commands: no HELLO, no CLIENT SETNAME / SETINFO on connect
			config.autoNegotiateProtocol(false)
					.clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
		} else {
			config.clientName("local-ai-runtime");
		}
		if (password != null && !password.isEmpty()) {
			config.password(password);
			if (user != null) {
				config.user(user);
			}
		}
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setMaxTotal(s.poolSize());
		pool.setMaxIdle(s.poolSize());
		pool.setMaxWait(s.timeout());
		pool.setBlockWhenExhausted(true);
		// a connection broken by a Redis restart is found and replaced before use, not by a failed request
		pool.setTestOnBorrow(true);
		this.client = RedisClient.builder().hostAndPort(endpoint.hostAndPort()).clientConfig(config.build())
				.poolConfig(pool).build();
		this.prefix = "session:" + s.namespace() + ":";
		this.ttlSeconds = s.ttl().toSeconds();
	}

	@Override
	public List<Turn> turns(String id) {
		List<String> items = client.lrange(prefix + id, 0, -1);
		List<Turn> turns = new ArrayList<>(items.size());
		for (String item : items) {
			turns.add(TurnCodec.readTurn(item));
		}
		return turns;
	}

	@Override
	public void append(String id, Turn turn) {
		String key = prefix + id;
		try (AbstractPipeline p = client.pipelined()) {
			Response<Long> pushed = p.rpush(key, TurnCodec.write(turn));
			Response<Long> expiry = ttlSeconds > 0 ? p.expire(key, ttlSeconds) : null;
			p.sync();
			pushed.get();
			if (expiry != null) {
				expiry.get();
			}
		}
	}

	@Override
	public void replace(String id, Turn whole) {
		String key = prefix + id;
		// '#' cannot occur in a session id, so this key never collides with a session
		String scratch = key + "#replace-" + UUID.randomUUID();
		try (AbstractPipeline p = client.pipelined()) {
			List<Response<?>> replies = new ArrayList<>();
			replies.add(p.rpush(scratch, TurnCodec.write(whole)));
			// a node that dies half-way leaves a scratch list that expires by itself
			replies.add(p.expire(scratch, ttlSeconds > 0 ? ttlSeconds : 60));
			replies.add(p.rename(scratch, key));
			if (ttlSeconds == 0) {
				replies.add(p.persist(key));
			}
			p.sync();
			replies.forEach(Response::get);
		}
	}

	@Override
	public boolean delete(String id) {
		return client.del(prefix + id) > 0;
	}

	/** The first {@code limit} sessions SCAN finds (Redis keeps no order), most recently written first. */
	@Override
	public List<SessionInfo> list(int limit) {
		ScanParams match = new ScanParams().match(glob(prefix) + "*").count(500);
		List<String> keys = new ArrayList<>();
		String cursor = ScanParams.SCAN_POINTER_START;
		do {
			ScanResult<String> page = client.scan(cursor, match);
			for (String key : page.getResult()) {
				if (keys.size() < limit && key.indexOf('#') < 0) {
					keys.add(key);
				}
			}
			cursor = page.getCursor();
		} while (keys.size() < limit && !cursor.equals(ScanParams.SCAN_POINTER_START));
		List<Response<Long>> lengths = new ArrayList<>();
		List<Response<String>> last = new ArrayList<>();
		try (AbstractPipeline p = client.pipelined()) {
			for (String key : keys) {
				lengths.add(p.llen(key));
				last.add(p.lindex(key, -1));
			}
			p.sync();
		}
		List<SessionInfo> sessions = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			String newest = last.get(i).get();
			if (newest != null) {
				sessions.add(new SessionInfo(keys.get(i).substring(prefix.length()), lengths.get(i).get().intValue(),
						Instant.ofEpochMilli(TurnCodec.readTurn(newest).at())));
			}
		}
		sessions.sort(Comparator.comparing(SessionInfo::updated).reversed());
		return sessions;
	}

	@Override
	public void clear() {
		ScanParams match = new ScanParams().match(glob(prefix) + "*").count(500);
		String cursor = ScanParams.SCAN_POINTER_START;
		try {
			do {
				ScanResult<String> page = client.scan(cursor, match);
				if (!page.getResult().isEmpty()) {
					client.del(page.getResult().toArray(String[]::new));
				}
				cursor = page.getCursor();
			} while (!cursor.equals(ScanParams.SCAN_POINTER_START));
		} catch (JedisDataException e) {
			throw new UnsupportedOperationException("the server refused SCAN or DEL: " + e.getMessage(), e);
		}
	}

	/** Answers a PING: used once at start to say in the log whether Redis is there. */
	String ping() {
		return client.ping();
	}

	@Override
	public void close() {
		client.close();
	}

	private static String glob(String literal) {
		return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}
}
