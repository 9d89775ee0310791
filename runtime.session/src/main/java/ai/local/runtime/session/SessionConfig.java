package ai.local.runtime.session;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@code runtime.session}. Each default is the built-in one; the environment variable named in the
 * description (also accepted as a -D system property) replaces it while the attribute is unset or holds that
 * default. Empty (or -1) where the default is computed: the description says how.
 */
@ObjectClassDefinition(name = "Local AI Runtime: session store",
		description = "Where conversations are kept between requests: memory, files, or Redis / MiniMemory")
public @interface SessionConfig {
	String PID = "runtime.session";

	@AttributeDefinition(name = "Store type", required = false, options = {
			@Option(label = "memory", value = "memory"), @Option(label = "file", value = "file"),
			@Option(label = "redis", value = "redis"), @Option(label = "minimemory", value = "minimemory") },
			description = "memory, file, redis or minimemory. RUNTIME_SESSION_STORE_TYPE replaces the default")
	String type() default "memory";

	@AttributeDefinition(name = "Endpoint", required = false,
			description = "redis/minimemory: host:port or redis://host:port; file: a directory (relative to the runtime "
					+ "home). Empty: RUNTIME_SESSION_STORE_ENDPOINT, else 127.0.0.1:6379 or data/sessions")
	String endpoint() default "";

	@AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
			description = "Redis AUTH password. Empty: RUNTIME_SESSION_STORE_PASSWORD, if set")
	String password() default "";

	@AttributeDefinition(name = "Redis user", required = false,
			description = "Redis ACL user for AUTH. Empty: RUNTIME_SESSION_STORE_USER, if set, else Redis' default user")
	String user() default "";

	@AttributeDefinition(name = "Database", required = false,
			description = "Redis database index (SELECT). RUNTIME_SESSION_STORE_DB replaces the default")
	int db() default 0;

	@AttributeDefinition(name = "Namespace", required = false,
			description = "Keys are session:<namespace>:<id>. Set it to keep history across restarts and share it "
					+ "between nodes. Empty: RUNTIME_SESSION_STORE_NAMESPACE, else a fresh one per boot for redis "
					+ "(as the C++ original) and 'default' for files")
	String namespace() default "";

	@AttributeDefinition(name = "Reset on boot", required = false,
			description = "true: delete this namespace's sessions when the store starts. "
					+ "RUNTIME_SESSION_STORE_RESET_ON_BOOT replaces the default")
	boolean reset_on_boot() default false;

	@AttributeDefinition(name = "Time to live (seconds)", required = false,
			description = "A session not written for this long is forgotten; 0 keeps it. RUNTIME_SESSION_STORE_TTL replaces the default")
	long ttl() default 0;

	@AttributeDefinition(name = "Max sessions in memory", required = false,
			description = "memory: the least recently used session is dropped beyond this. RUNTIME_SESSION_STORE_MAX_SESSIONS replaces the default")
	int max_sessions() default 1000;

	@AttributeDefinition(name = "Timeout (ms)", required = false,
			description = "redis: connect and read timeout, and the longest wait for a pooled connection. "
					+ "RUNTIME_SESSION_STORE_TIMEOUT_MS replaces the default")
	int timeout_ms() default 2000;

	@AttributeDefinition(name = "Pool size", required = false,
			description = "redis: most connections open at once. RUNTIME_SESSION_STORE_POOL_SIZE replaces the default")
	int pool_size() default 16;
}
