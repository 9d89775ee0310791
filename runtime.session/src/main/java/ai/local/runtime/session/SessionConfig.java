package ai.local.runtime.session;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@code runtime.session}. An empty value (or -1) means: take the environment variable named
 * in the description (also accepted as a -D system property), else the built-in default.
 */
@ObjectClassDefinition(name = "Local AI Runtime: session store",
		description = "Where conversations are kept between requests: memory, files, or Redis / MiniMemory")
public @interface SessionConfig {
	String PID = "runtime.session";

	@AttributeDefinition(name = "Store type", required = false, options = { @Option(label = "default (environment)", value = ""),
			@Option(label = "memory", value = "memory"), @Option(label = "file", value = "file"),
			@Option(label = "redis", value = "redis"), @Option(label = "minimemory", value = "minimemory") },
			description = "memory, file, redis or minimemory. Empty: RUNTIME_SESSION_STORE_TYPE, else memory")
	String type() default "";

	@AttributeDefinition(name = "Endpoint", required = false,
			description = "redis/minimemory: host:port or redis://host:port; file: a directory (relative to the runtime "
					+ "home). Empty: RUNTIME_SESSION_STORE_ENDPOINT, else 127.0.0.1:6379 or data/sessions")
	String endpoint() default "";

	@AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
			description = "Redis AUTH password. Empty: RUNTIME_SESSION_STORE_PASSWORD, else none")
	String password() default "";

	@AttributeDefinition(name = "Redis user", required = false,
			description = "Redis ACL user for AUTH. Empty: RUNTIME_SESSION_STORE_USER, else the default user")
	String user() default "";

	@AttributeDefinition(name = "Database", required = false,
			description = "Redis database index (SELECT). -1: RUNTIME_SESSION_STORE_DB, else 0")
	int db() default -1;

	@AttributeDefinition(name = "Namespace", required = false,
			description = "Keys are session:<namespace>:<id>. Set it to keep history across restarts and share it "
					+ "between nodes. Empty: RUNTIME_SESSION_STORE_NAMESPACE, else a fresh one per boot for redis "
					+ "(as the C++ original) and 'default' for files")
	String namespace() default "";

	@AttributeDefinition(name = "Reset on boot", required = false,
			description = "true: delete this namespace's sessions when the store starts. "
					+ "Empty: RUNTIME_SESSION_STORE_RESET_ON_BOOT, else false")
	String reset_on_boot() default "";

	@AttributeDefinition(name = "Time to live (seconds)", required = false,
			description = "A session not written for this long is forgotten; 0 keeps it. -1: RUNTIME_SESSION_STORE_TTL, else 0")
	long ttl() default -1;

	@AttributeDefinition(name = "Max sessions in memory", required = false,
			description = "memory: the least recently used session is dropped beyond this. -1: RUNTIME_SESSION_STORE_MAX_SESSIONS, else 1000")
	int max_sessions() default -1;

	@AttributeDefinition(name = "Timeout (ms)", required = false,
			description = "redis: connect and read timeout, and the longest wait for a pooled connection. "
					+ "-1: RUNTIME_SESSION_STORE_TIMEOUT_MS, else 2000")
	int timeout_ms() default -1;

	@AttributeDefinition(name = "Pool size", required = false,
			description = "redis: most connections open at once. -1: RUNTIME_SESSION_STORE_POOL_SIZE, else 16")
	int pool_size() default -1;
}
