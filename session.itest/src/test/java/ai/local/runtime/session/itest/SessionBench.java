package ai.local.runtime.session.itest;

import static ai.local.runtime.session.itest.Api.user;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.local.runtime.testing.process.RedisServer;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * What server-side history costs per request, by store: one client, sequential chat completions to the scripted
 * provider (so the model costs nothing and the store is what differs), against the memory store measured in the
 * same run. Run by bench/sessions.sh; not a test.
 */
public final class SessionBench {
	private static final int WARMUP = 500;
	private static final int NEW_SESSIONS = 2000;
	private static final int TURNS = 200;
	/** Replies of constant size ("You said: ..."), so a session grows by the same amount each turn. */
	private static final Map<String, Object> ECHO = Map.of("model", "scripted:echo");

	private record Figures(String store, double[] newMicros, double[] firstTurns, double[] lastTurns, double seconds) {
	}

	public static void main(String[] args) throws Exception {
		Path scripted = Path.of(System.getProperty("scripted.provider.jar"));
		Path homes = Path.of(System.getProperty("runtime.home"));
		List<Figures> all = new ArrayList<>();
		try (RedisServer redis = RedisServer.start("bench")) {
			Map<String, Map<String, String>> stores = new java.util.LinkedHashMap<>();
			stores.put("memory", Map.of());
			stores.put("file", Map.of("RUNTIME_SESSION_STORE_TYPE", "file"));
			stores.put("redis", Map.of("RUNTIME_SESSION_STORE_TYPE", "redis", "RUNTIME_SESSION_STORE_ENDPOINT",
					redis.endpoint(), "RUNTIME_SESSION_STORE_PASSWORD", "bench", "RUNTIME_SESSION_STORE_NAMESPACE", "bench"));
			for (Map.Entry<String, Map<String, String>> store : stores.entrySet()) {
				Map<String, String> env = new HashMap<>(store.getValue());
				env.put("RUNTIME_PROVIDER", "scripted");
				env.put("JAVA_OPTS", "-Dorg.slf4j.simpleLogger.log.runtime.http.requests=warn");
				try (RuntimeProcess runtime = RuntimeProcess.start(env, List.of(scripted), homes.resolve(store.getKey()),
						true)) {
					all.add(measure(store.getKey(), new Api(runtime.base())));
				}
			}
		}
		Figures base = all.get(0);
		System.out.printf(Locale.ROOT, "%-7s | new session p50 / p99 (µs) | req/s | vs memory | turn 1-20 p50 | turn 181-200 p50 (µs) | vs memory%n",
				"store");
		for (Figures f : all) {
			System.out.printf(Locale.ROOT, "%-7s | %8.0f / %8.0f | %6.0f | %5.2fx | %8.0f | %8.0f | %5.2fx%n", f.store(),
					pct(f.newMicros(), 50), pct(f.newMicros(), 99), NEW_SESSIONS / f.seconds(),
					pct(f.newMicros(), 50) / pct(base.newMicros(), 50), pct(f.firstTurns(), 50), pct(f.lastTurns(), 50),
					pct(f.lastTurns(), 50) / pct(base.lastTurns(), 50));
		}
	}

	private static Figures measure(String store, Api api) {
		for (int i = 0; i < WARMUP; i++) {
			check(api.chat(user("warm " + i), ECHO));
		}
		double[] fresh = new double[NEW_SESSIONS];
		long t0 = System.nanoTime();
		for (int i = 0; i < NEW_SESSIONS; i++) {
			long s = System.nanoTime();
			check(api.chat(user("hello " + i), ECHO));
			fresh[i] = (System.nanoTime() - s) / 1000.0;
		}
		double seconds = (System.nanoTime() - t0) / 1e9;
		String id = "bench-" + store + "-" + System.nanoTime();
		double[] turns = new double[TURNS];
		for (int i = 0; i < TURNS; i++) {
			long s = System.nanoTime();
			check(api.chat(user("turn " + i + " of a conversation that grows by two messages each time"),
					Map.of("model", "scripted:echo", "session_id", id)));
			turns[i] = (System.nanoTime() - s) / 1000.0;
		}
		return new Figures(store, fresh, Arrays.copyOfRange(turns, 0, 20), Arrays.copyOfRange(turns, TURNS - 20, TURNS),
				seconds);
	}

	private static void check(Api.Reply r) {
		if (r.status() != 200) {
			throw new IllegalStateException(r.status() + " " + r.body());
		}
	}

	private static double pct(double[] values, int p) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
	}
}
