package ai.local.runtime.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;

import ai.local.runtime.api.settings.SettingsReader;

/**
 * {@link SessionConfig} with the C++ original's RUNTIME_SESSION_STORE_* variables as defaults. Bad values fall
 * back to their default and are reported in {@link #problems()}.
 *
 * @param namespace the configured namespace, or a fresh one per boot for redis when none is set
 * @param stableNamespace whether the namespace was configured (history outlives a restart)
 * @param ttl zero: keep sessions until deleted
 */
record SessionSettings(Type type, String endpoint, String user, String password, int db, String namespace,
		boolean stableNamespace, boolean resetOnBoot, Duration ttl, int maxSessions, Duration timeout, int poolSize,
		List<String> problems) {

	enum Type {
		MEMORY, FILE, REDIS, MINIMEMORY;

		String label() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	static SessionSettings of(SessionConfig c, UnaryOperator<String> env, Path home) {
		SettingsReader r = new SettingsReader(env);
		String typeName = r.string(c.type(), "RUNTIME_SESSION_STORE_TYPE", "memory").toLowerCase(Locale.ROOT);
		Type type = Type.MEMORY;
		try {
			type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			r.problem("type must be memory, file, redis or minimemory, not '" + typeName + "'; using memory");
		}
		String endpoint = r.string(c.endpoint(), "RUNTIME_SESSION_STORE_ENDPOINT",
				type == Type.FILE ? "data/sessions" : "127.0.0.1:6379");
		if (type == Type.FILE) {
			endpoint = home.resolve(endpoint).normalize().toString();
		}
		String configuredNamespace = r.string(c.namespace(), "RUNTIME_SESSION_STORE_NAMESPACE", "");
		boolean stable = !configuredNamespace.isEmpty();
		String namespace = stable ? configuredNamespace
				: type == Type.FILE || type == Type.MEMORY ? "default" : "boot-" + UUID.randomUUID();
		if (namespace.contains(":") || namespace.contains("/") || namespace.contains("*") || namespace.startsWith(".")) {
			r.problem("namespace must not contain ':', '/' or '*' nor start with '.', not '" + namespace + "'; using 'default'");
			namespace = "default";
		}
		return new SessionSettings(type, endpoint, r.string(c.user(), "RUNTIME_SESSION_STORE_USER", ""),
				r.string(c.password(), "RUNTIME_SESSION_STORE_PASSWORD", ""),
				r.integer("db", c.db(), "RUNTIME_SESSION_STORE_DB", 0, 0), namespace, stable,
				r.bool("reset.on.boot", c.reset_on_boot(), "RUNTIME_SESSION_STORE_RESET_ON_BOOT", false),
				Duration.ofSeconds(r.whole("ttl", c.ttl(), "RUNTIME_SESSION_STORE_TTL", 0, 0)),
				r.integer("max.sessions", c.max_sessions(), "RUNTIME_SESSION_STORE_MAX_SESSIONS", 1000, 1),
				Duration.ofMillis(r.integer("timeout.ms", c.timeout_ms(), "RUNTIME_SESSION_STORE_TIMEOUT_MS", 2000, 50)),
				r.integer("pool.size", c.pool_size(), "RUNTIME_SESSION_STORE_POOL_SIZE", 16, 1), r.problems());
	}

	/** For the log and status: never the password. */
	String describe() {
		return switch (type) {
		case MEMORY -> "memory (max " + maxSessions + " sessions" + ttlText() + ")";
		case FILE -> "file " + endpoint + " (namespace " + namespace + ttlText() + ")";
		case REDIS, MINIMEMORY -> type.label() + " " + RedisEndpoint.redacted(endpoint) + " db " + db + " (namespace " + namespace
				+ (stableNamespace ? "" : ", fresh this boot") + (password.isEmpty() ? "" : ", AUTH") + ttlText() + ")";
		};
	}

	private String ttlText() {
		return ttl.isZero() ? "" : ", ttl " + ttl.toSeconds() + " s";
	}
}
