package ai.local.runtime.session.itest;

import static ai.local.runtime.session.itest.Api.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.local.runtime.testing.process.RedisServer;
import ai.local.runtime.testing.process.RuntimeProcess;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * History that outlives a process: the file store across a restart, and Redis (a real redis-server with a
 * password, database 2 and a stable namespace) across restarts, two nodes, concurrent turns and an outage.
 */
class DurableSessionsHttpTest {
	private static final String PASSWORD = "pw-" + System.nanoTime();
	private static final Path SCRIPTED = Path.of(System.getProperty("scripted.provider.jar"));
	private static final Path HOMES = Path.of(System.getProperty("runtime.home")).resolveSibling("durable-homes");
	private static RedisServer redis;

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisServer.start(PASSWORD);
	}

	@AfterAll
	static void stopRedis() throws Exception {
		redis.close();
	}

	private static RuntimeProcess node(String name, boolean fresh) throws Exception {
		Map<String, String> env = new HashMap<>(Map.of("RUNTIME_PROVIDER", "scripted",
				"RUNTIME_SESSION_STORE_TYPE", "redis", "RUNTIME_SESSION_STORE_ENDPOINT", redis.endpoint(),
				"RUNTIME_SESSION_STORE_PASSWORD", PASSWORD, "RUNTIME_SESSION_STORE_DB", "2",
				"RUNTIME_SESSION_STORE_NAMESPACE", "team"));
		return routable(RuntimeProcess.start(env, List.of(SCRIPTED), HOMES.resolve(name), fresh));
	}

	private static RuntimeProcess routable(RuntimeProcess runtime) throws InterruptedException {
		Api api = new Api(runtime.base());
		for (int i = 0; i < 200; i++) {
			if (api.chat(user("ping"), Map.of("use_server_history", false)).status() == 200) {
				return runtime;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("the scripted provider never became routable:\n" + runtime.log());
	}

	private static RedisClient raw() {
		return RedisClient.builder().hostAndPort("127.0.0.1", redis.port)
				.clientConfig(DefaultJedisClientConfig.builder().password(PASSWORD).database(2).build()).build();
	}

	@Test
	void theFileStoreKeepsAConversationAcrossARestart() throws Exception {
		Map<String, String> env = Map.of("RUNTIME_PROVIDER", "scripted", "RUNTIME_SESSION_STORE_TYPE", "file");
		Path home = HOMES.resolve("file");
		String id;
		try (RuntimeProcess first = routable(RuntimeProcess.start(env, List.of(SCRIPTED), home, true))) {
			id = new Api(first.base()).chat(user("before"), Map.of()).sessionId();
			assertNotNull(id);
		}
		assertTrue(Files.exists(home.resolve("data/sessions/default/" + id + ".json")));
		try (RuntimeProcess again = routable(RuntimeProcess.start(env, List.of(), home, false))) {
			assertEquals("system= users=before,after messages=3",
					new Api(again.base()).chat(user("after"), Map.of("session_id", id)).text());
		}
	}

	@Test
	void twoNodesOnOneRedisContinueEachOthersSessionsAcrossRestarts() throws Exception {
		String id;
		try (RuntimeProcess a = node("a", true); RuntimeProcess b = node("b", true)) {
			Api onA = new Api(a.base());
			Api onB = new Api(b.base());
			id = onA.chat(user("one"), Map.of()).sessionId();
			assertEquals("system= users=one,two messages=3", onB.chat(user("two"), Map.of(), "x-session-id", id).text());
			assertEquals("system= users=one,two,three messages=5",
					onA.chat(user("three"), Map.of(), "x-session-id", id).text());
			try (RedisClient db2 = raw()) {
				assertEquals(3, db2.llen("session:team:" + id), "one list element per turn, in database 2");
			}
		}
		try (RuntimeProcess a = node("a", false)) {
			assertEquals("system= users=one,two,three,four messages=7",
					new Api(a.base()).chat(user("four"), Map.of(), "x-session-id", id).text());
		}
	}

	@Test
	void concurrentTurnsOnOneSessionFromTwoNodesLoseNoMessage() throws Exception {
		String id = "concurrent-" + System.nanoTime();
		try (RuntimeProcess a = node("a", true); RuntimeProcess b = node("b", true)) {
			List<Api> nodes = List.of(new Api(a.base()), new Api(b.base()));
			ExecutorService pool = Executors.newFixedThreadPool(10);
			List<Future<Api.Reply>> replies = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				Api api = nodes.get(i % 2);
				String text = "turn" + i;
				boolean stream = i % 3 == 0;
				replies.add(pool.submit(() -> api.chat(user(text), Map.of("session_id", id, "stream", stream))));
			}
			for (Future<Api.Reply> r : replies) {
				assertEquals(200, r.get().status(), r.get().body());
			}
			pool.shutdown();
			try (RedisClient db2 = raw()) {
				assertEquals(20, db2.llen("session:team:" + id));
			}
			String last = nodes.get(0).chat(user("count"), Map.of("session_id", id)).text();
			assertTrue(last.endsWith("messages=41"), last);
			for (int i = 0; i < 20; i++) {
				assertTrue(last.contains("turn" + i), last);
			}
		}
	}

	@Test
	void aRedisOutageIsA503ForHistoryOnlyAndHealsByItself() throws Exception {
		try (RuntimeProcess a = node("outage", true)) {
			Api api = new Api(a.base());
			String id = api.chat(user("before"), Map.of()).sessionId();
			redis.kill();
			try {
				long t0 = System.nanoTime();
				Api.Reply needsHistory = api.chat(user("during"), Map.of(), "x-session-id", id);
				long millis = (System.nanoTime() - t0) / 1_000_000;
				assertEquals(503, needsHistory.status(), needsHistory.body());
				assertEquals("service_unavailable_error", needsHistory.json().at("/error/type").asText(), needsHistory.body());
				assertTrue(needsHistory.json().at("/error/message").asText().contains("session store"),
						needsHistory.body());
				assertNotNull(needsHistory.header("retry-after"));
				assertTrue(millis < 3000, "answered in " + millis + " ms");

				List<String[]> whole = List.of(new String[] { "user", "a" }, new String[] { "assistant", "b" },
						new String[] { "user", "c" });
				Api.Reply stateless = api.chat(whole, Map.of());
				assertEquals(200, stateless.status(), "a request that needs no stored history still works");
				assertEquals("system= users=a,c messages=3", stateless.text());
				assertNotNull(stateless.header("x-runtime-session-error"), "and says its turn was not stored");
				assertEquals(200, api.chat(whole, Map.of("stream", true)).status());
			} finally {
				redis.start();
			}
			// Redis came back empty (no persistence here): the runtime uses it again without a restart
			String again = api.chat(user("after"), Map.of()).sessionId();
			assertEquals("system= users=after,more messages=3",
					api.chat(user("more"), Map.of(), "x-session-id", again).text());
		}
	}
}
