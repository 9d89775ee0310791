package ai.local.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.SessionInfo;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.api.ToolCall;

class MemoryAndFileStoreTest {
	@TempDir
	Path dir;

	private SessionStore memory() {
		return new SessionStoreService(Configs::noEnv, Configs.of("max_sessions", 3));
	}

	private SessionStore file() {
		return new SessionStoreService(Configs::noEnv, Configs.of("type", "file", "endpoint", dir.toString(),
				"namespace", "ns"));
	}

	private static List<ChatMessage> turn(String user, String reply) {
		return List.of(ChatMessage.user(user), ChatMessage.assistant(reply, List.of()));
	}

	@Test
	void appendsLoadsReplacesAndDeletes() {
		for (SessionStore store : List.of(memory(), file())) {
			assertEquals(List.of(), store.load("s1"));
			store.append("s1", turn("one", "1"));
			store.append("s1", turn("two", "2"));
			assertEquals(List.of("one", "1", "two", "2"), texts(store.load("s1")));
			store.replace("s1", turn("three", "3"));
			assertEquals(List.of("three", "3"), texts(store.load("s1")));
			store.replace("s1", List.of());
			assertEquals(List.of("three", "3"), texts(store.load("s1")), "an empty history never overwrites one");
			assertTrue(store.delete("s1"));
			assertFalse(store.delete("s1"));
			assertEquals(List.of(), store.load("s1"));
		}
	}

	@Test
	void listsSessionsNewestFirstWithTheirTurns() throws Exception {
		for (SessionStore store : List.of(memory(), file())) {
			store.append("older", turn("one", "1"));
			Thread.sleep(20);
			store.append("newer", turn("two", "2"));
			store.append("newer", turn("three", "3"));
			List<SessionInfo> all = store.list(10);
			assertEquals(List.of("newer", "older"), all.stream().map(SessionInfo::id).toList());
			assertEquals(2, all.get(0).turns());
			assertEquals(1, all.get(1).turns());
			assertFalse(all.get(0).updated().isBefore(all.get(1).updated()));
			assertEquals(List.of("newer"), store.list(1).stream().map(SessionInfo::id).toList());
			Thread.sleep(20);
			store.append("older", turn("four", "4"));
			SessionInfo touched = store.list(10).get(0);
			assertEquals("older", touched.id());
			assertEquals(2, touched.turns(), "a session written since the last listing is read again");
		}
	}

	@Test
	void keepsToolCallsAndToolMessagesExactly() {
		List<ChatMessage> messages = List.of(ChatMessage.system("be brief"), ChatMessage.user("add 2 and 3"),
				ChatMessage.assistant("", List.of(new ToolCall("call_1", "add", "{\"a\":2,\"b\":3}"))),
				ChatMessage.tool("call_1", "5"), ChatMessage.assistant("It is 5.", List.of()));
		for (SessionStore store : List.of(memory(), file())) {
			store.append("tools", messages);
			assertEquals(messages, store.load("tools"));
		}
	}

	@Test
	void rejectsIdsThatAreNotSafeKeysOrFileNames() {
		for (SessionStore store : List.of(memory(), file())) {
			for (String bad : List.of("", "../etc/passwd", "a/b", ".hidden", "-x", "x".repeat(201), "sp ace", "caf\u00e9",
					"a\u0000b", "tab\t")) {
				ApiException e = assertThrows(ApiException.class, () -> store.load(bad), bad);
				assertEquals(ErrorType.INVALID_REQUEST, e.type());
				assertEquals("session_id", e.param());
			}
			for (String good : List.of("a", "Z9", "x".repeat(200), "sess_AbC.d:e@f-g", "0-.")) {
				assertEquals(List.of(), store.load(good), good);
			}
		}
	}

	@Test
	void memoryDropsTheLeastRecentlyUsedBeyondItsLimit() {
		SessionStore store = memory();
		for (String id : List.of("a", "b", "c")) {
			store.append(id, turn(id, id));
		}
		store.load("a");
		store.append("d", turn("d", "d"));
		assertEquals(List.of(), store.load("b"));
		assertEquals(List.of("a", "a"), texts(store.load("a")));
	}

	@Test
	void sessionsExpireAfterTheirTtl() {
		for (String kind : List.of("memory", "file")) {
			MutableClock clock = new MutableClock();
			Backend b = kind.equals("memory") ? new MemoryBackend(10, Duration.ofSeconds(60), clock)
					: new FileBackend(dir, "ttl", Duration.ofSeconds(60), clock);
			b.append("s", new Turn(clock.millis(), turn("q", "a")));
			clock.advance(Duration.ofSeconds(30));
			assertEquals(1, b.turns("s").size());
			clock.advance(Duration.ofSeconds(31 + 60));
			assertEquals(List.of(), b.turns("s"));
		}
	}

	@Test
	void fileStoreSurvivesARestartAndIgnoresAnInterruptedWrite() throws Exception {
		file().append("kept", turn("before", "restart"));
		Path sessions = dir.resolve("ns");
		// a crash mid-write leaves only a temporary file; the acknowledged history is untouched
		Files.writeString(sessions.resolve("kept.json.tmp"), "[{\"at\":1,\"messages\":[{\"ro");
		SessionStore restarted = file();
		assertEquals(List.of("before", "restart"), texts(restarted.load("kept")));
		assertFalse(Files.exists(sessions.resolve("kept.json.tmp")), "leftover removed at start");
		assertTrue(Files.readString(sessions.resolve("kept.json")).contains("\"role\":\"user\""));
	}

	@Test
	void concurrentTurnsOnOneSessionLoseNothing() throws Exception {
		for (SessionStore store : List.of(memory(), file())) {
			ExecutorService pool = Executors.newFixedThreadPool(8);
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				done.add(pool.submit(() -> {
					for (int i = 0; i < 25; i++) {
						store.append("busy", turn("t" + thread + "-" + i, "r" + thread + "-" + i));
					}
				}));
			}
			for (Future<?> f : done) {
				f.get();
			}
			pool.shutdown();
			List<ChatMessage> history = store.load("busy");
			assertEquals(400, history.size());
			for (int i = 0; i < history.size(); i += 2) {
				// turns interleave whole: every question is followed by its own answer
				assertEquals(history.get(i).text().substring(1), history.get(i + 1).text().substring(1));
			}
		}
	}

	@Test
	void anUnusableDirectoryAnswers503NamingIt() throws Exception {
		Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
		SessionStore store = new SessionStoreService(Configs::noEnv, Configs.of("type", "file", "endpoint",
				notADir.toString()));
		ApiException e = assertThrows(ApiException.class, () -> store.load("s"));
		assertEquals(ErrorType.UNAVAILABLE, e.type());
		assertTrue(e.getMessage().contains("plain-file"), e.getMessage());
	}

	@Test
	void environmentVariablesAreTheDefaults() {
		SessionSettings s = SessionSettings.of(Configs.of(), name -> switch (name) {
		case "RUNTIME_SESSION_STORE_TYPE" -> "redis";
		case "RUNTIME_SESSION_STORE_ENDPOINT" -> "redis.example:6380";
		case "RUNTIME_SESSION_STORE_PASSWORD" -> "pw";
		case "RUNTIME_SESSION_STORE_DB" -> "4";
		case "RUNTIME_SESSION_STORE_RESET_ON_BOOT" -> "true";
		default -> null;
		}, Path.of(""));
		assertEquals(SessionSettings.Type.REDIS, s.type());
		assertEquals("redis.example:6380", s.endpoint());
		assertEquals(4, s.db());
		assertTrue(s.resetOnBoot());
		assertFalse(s.stableNamespace());
		assertTrue(s.namespace().startsWith("boot-"));
		assertFalse(s.describe().contains("pw"));
		SessionSettings configured = SessionSettings.of(Configs.of("type", "bogus", "namespace", "team", "db", 2),
				name -> name.equals("RUNTIME_SESSION_STORE_DB") ? "4" : null, Path.of(""));
		assertEquals(SessionSettings.Type.MEMORY, configured.type());
		assertEquals(1, configured.problems().size());
		assertEquals(2, configured.db());
		assertEquals("team", configured.namespace());
	}

	private static List<String> texts(List<ChatMessage> messages) {
		return messages.stream().map(ChatMessage::text).toList();
	}

	private static final class MutableClock extends Clock {
		private Instant now = Instant.now();

		void advance(Duration d) {
			now = now.plus(d);
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}
	}
}
