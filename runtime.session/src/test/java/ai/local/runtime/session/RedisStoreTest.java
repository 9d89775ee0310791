package ai.local.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.SessionInfo;
import ai.local.runtime.testing.process.RedisServer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** Against a real redis-server with a password, on a database other than 0. */
class RedisStoreTest {
	private static final String PASSWORD = "s3cret-pw";
	private static RedisServer redis;

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisServer.start(PASSWORD);
	}

	@AfterAll
	static void stopRedis() throws Exception {
		redis.close();
	}

	private static SessionStoreService node(String namespace, Object... more) {
		List<Object> values = new ArrayList<>(List.of("type", "redis", "endpoint", redis.endpoint(), "password",
				PASSWORD, "db", 3, "namespace", namespace));
		values.addAll(List.of(more));
		return new SessionStoreService(Configs::noEnv, Configs.of(values.toArray()));
	}

	private static RedisClient raw(int db) {
		return RedisClient.builder().hostAndPort("127.0.0.1", redis.port)
				.clientConfig(DefaultJedisClientConfig.builder().password(PASSWORD).database(db).build()).build();
	}

	private static List<ChatMessage> turn(String user, String reply) {
		return List.of(ChatMessage.user(user), ChatMessage.assistant(reply, List.of()));
	}

	@Test
	void storesOneListPerSessionUnderTheNamespacedKeyInTheConfiguredDatabase() {
		SessionStoreService store = node("keys");
		store.append("conv-1", turn("hello", "hi"));
		store.append("conv-1", turn("again", "yes"));
		try (RedisClient db3 = raw(3); RedisClient db0 = raw(0)) {
			assertEquals(2, db3.llen("session:keys:conv-1"));
			assertTrue(db3.lindex("session:keys:conv-1", 0).contains("\"role\":\"user\""));
			assertEquals(0, db0.exists("session:keys:conv-1") ? 1 : 0);
			assertEquals(-1, db3.ttl("session:keys:conv-1"), "no TTL unless configured");
		}
		assertEquals(4, store.load("conv-1").size());
		store.stop();
	}

	@Test
	void listsTheNamespacesSessionsWithTurnsAndTime() {
		SessionStoreService store = node("listing");
		store.append("a", turn("q", "a"));
		store.append("b", turn("q", "a"));
		store.append("b", turn("q2", "a2"));
		node("elsewhere").append("c", turn("q", "a"));
		List<SessionInfo> listed = store.list(10);
		assertEquals(Set.of("a", "b"), listed.stream().map(SessionInfo::id).collect(Collectors.toSet()));
		assertEquals(2, listed.stream().filter(i -> i.id().equals("b")).findFirst().orElseThrow().turns());
		assertTrue(listed.stream().allMatch(i -> i.updated() != null));
		assertEquals(1, store.list(1).size());
	}

	@Test
	void twoNodesWithOneNamespaceContinueEachOthersSessions() {
		SessionStoreService a = node("shared");
		SessionStoreService b = node("shared");
		a.append("s", turn("from a", "ok"));
		b.append("s", turn("from b", "ok"));
		assertEquals(a.load("s"), b.load("s"));
		assertEquals(4, a.load("s").size());
		SessionStoreService other = node("other");
		assertEquals(List.of(), other.load("s"), "namespaces do not see each other");
		a.stop();
		b.stop();
		other.stop();
	}

	@Test
	void withoutANamespaceEachBootStartsFresh() {
		SessionStoreService first = new SessionStoreService(Configs::noEnv, Configs.of("type", "redis", "endpoint",
				redis.endpoint(), "password", PASSWORD));
		first.append("s", turn("q", "a"));
		SessionStoreService second = new SessionStoreService(Configs::noEnv, Configs.of("type", "redis", "endpoint",
				"redis://:" + PASSWORD + "@127.0.0.1:" + redis.port + "/0"));
		assertEquals(List.of(), second.load("s"));
		assertEquals(2, first.load("s").size());
		first.stop();
		second.stop();
	}

	@Test
	void concurrentTurnsFromTwoNodesAllLand() throws Exception {
		SessionStoreService a = node("busy");
		SessionStoreService b = node("busy");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> done = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			SessionStoreService node = t % 2 == 0 ? a : b;
			int thread = t;
			done.add(pool.submit(() -> {
				for (int i = 0; i < 25; i++) {
					node.append("hot", turn("q" + thread + "-" + i, "a" + thread + "-" + i));
				}
			}));
		}
		for (Future<?> f : done) {
			f.get();
		}
		pool.shutdown();
		List<ChatMessage> history = a.load("hot");
		assertEquals(400, history.size());
		for (int i = 0; i < history.size(); i += 2) {
			assertEquals(history.get(i).text().substring(1), history.get(i + 1).text().substring(1));
		}
		a.stop();
		b.stop();
	}

	@Test
	void replaceIsAtomicAndEmptyNeverOverwrites() {
		SessionStoreService store = node("replace", "ttl", 120L);
		store.append("r", turn("old", "old"));
		store.replace("r", turn("new", "new"));
		assertEquals(List.of("new", "new"), store.load("r").stream().map(ChatMessage::text).toList());
		store.replace("r", List.of());
		assertEquals(2, store.load("r").size());
		try (RedisClient db3 = raw(3)) {
			long ttl = db3.ttl("session:replace:r");
			assertTrue(ttl > 100 && ttl <= 120, "ttl " + ttl);
			assertEquals(1, db3.keys("session:replace:*").size(), "no scratch key left behind");
		}
		store.stop();
	}

	@Test
	void resetOnBootEmptiesOnlyItsNamespace() {
		SessionStoreService before = node("reset");
		before.append("one", turn("q", "a"));
		node("kept").append("two", turn("q", "a"));
		SessionStoreService after = node("reset", "reset_on_boot", true);
		assertEquals(List.of(), after.load("one"));
		assertEquals(2, node("kept").load("two").size());
		before.stop();
		after.stop();
	}

	@Test
	void minimemoryUsesOnlyPlainDataCommands() throws Exception {
		// a server without HELLO, CLIENT, MULTI and EVAL, as a minimal RESP server is
		try (RedisServer plain = RedisServer.start(null, "--rename-command", "HELLO", "", "--rename-command", "CLIENT",
				"", "--rename-command", "MULTI", "", "--rename-command", "EVAL", "")) {
			SessionStoreService store = new SessionStoreService(Configs::noEnv, Configs.of("type", "minimemory",
					"endpoint", plain.endpoint(), "namespace", "mini", "ttl", 60L, "reset_on_boot", true));
			store.append("m", turn("one", "1"));
			store.append("m", turn("two", "2"));
			store.replace("m", turn("three", "3"));
			assertEquals(List.of("three", "3"), store.load("m").stream().map(ChatMessage::text).toList());
			assertTrue(store.delete("m"));
			store.stop();
		}
	}

	@Test
	void theSeedsHttpEndpointReachesRedis() {
		// the C++ original's README sets RUNTIME_SESSION_STORE_ENDPOINT="http://127.0.0.1:6379" for MiniMemory
		SessionStoreService store = new SessionStoreService(Configs::noEnv, Configs.of("type", "minimemory",
				"endpoint", "http://" + redis.endpoint(), "password", PASSWORD, "namespace", "seed"));
		store.append("h", turn("q", "a"));
		assertEquals(List.of("q", "a"), store.load("h").stream().map(ChatMessage::text).toList());
		store.stop();
	}

	@Test
	void aPasswordInTheEndpointNeverReachesAnError() {
		SessionStoreService store = new SessionStoreService(Configs::noEnv, Configs.of("type", "redis", "endpoint",
				"redis://default:wrong-s3cret@" + redis.endpoint(), "namespace", "x"));
		ApiException e = assertThrows(ApiException.class, () -> store.load("s"));
		assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
		store.stop();
	}

	@Test
	void aWrongPasswordIsAClear503() {
		SessionStoreService store = new SessionStoreService(Configs::noEnv, Configs.of("type", "redis", "endpoint",
				redis.endpoint(), "password", "wrong", "namespace", "x"));
		ApiException e = assertThrows(ApiException.class, () -> store.load("s"));
		assertEquals(ErrorType.UNAVAILABLE, e.type());
		assertTrue(e.getMessage().contains(redis.endpoint()), e.getMessage());
		assertTrue(e.getMessage().toLowerCase().contains("pass"), e.getMessage());
		store.stop();
	}

	@Test
	void redisDownFailsFastWith503AndRecoversByItself() throws Exception {
		SessionStoreService store = node("outage");
		store.append("s", turn("before", "outage"));
		redis.kill();
		try {
			long t0 = System.nanoTime();
			ApiException e = assertThrows(ApiException.class, () -> store.load("s"));
			long millis = (System.nanoTime() - t0) / 1_000_000;
			assertEquals(ErrorType.UNAVAILABLE, e.type());
			assertEquals(503, e.status());
			assertTrue(e.getMessage().contains("unavailable"), e.getMessage());
			assertTrue(millis < 2500, "failed in " + millis + " ms");
			assertThrows(ApiException.class, () -> store.append("s", turn("during", "outage")));
		} finally {
			redis.start();
		}
		// an empty Redis came back (no persistence): the store works again without being restarted
		store.append("s", turn("after", "outage"));
		assertEquals(List.of("after", "outage"), store.load("s").stream().map(ChatMessage::text).toList());
		assertNotEquals(0, store.load("s").size());
		store.stop();
	}
}
