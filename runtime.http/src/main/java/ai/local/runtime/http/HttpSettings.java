package ai.local.runtime.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.settings.SettingsReader;

/**
 * {@link HttpConfig} with the environment defaults of the C++ original applied: a configured value wins,
 * then the variable (looked up by {@code env}), then the built-in default. A bad value never fails: it is
 * replaced by its default and reported in {@link #problems()}, because a component of this PID that failed
 * to activate (the API filter, say) would leave the API without its key check.
 */
record HttpSettings(String host, int port, List<String> apiKeys, PrefixMode prefixMode, String defaultProvider,
		long maxBodyBytes, int maxConcurrent, int maxQueued, int maxConcurrentPerProvider, int maxQueuedPerProvider,
		int queueTimeoutSeconds, int bodyTimeoutSeconds, int idleTimeoutSeconds, int maxConnections,
		List<String> allowedHosts, List<String> corsOrigins, boolean allowInsecure, boolean metricsPublic,
		ModelAliases aliases, List<String> problems) {

	static final int DEFAULT_PORT = 8080;

	enum PrefixMode {
		AUTO, V1, API;

		boolean allows(String path) {
			if (path.startsWith("/api/v1/") || path.equals("/api/v1")) {
				return this != V1;
			}
			return this != API;
		}
	}

	static HttpSettings of(HttpConfig c, UnaryOperator<String> env) {
		List<String> problems = new ArrayList<>();
		SettingsReader r = new SettingsReader(env);
		String host = r.string(c.host(), "RUNTIME_LISTEN_HOST", "127.0.0.1");
		int port = c.port() >= 0 && c.port() != DEFAULT_PORT ? c.port()
				: parsePort(r.string(null, "RUNTIME_LISTEN_PORT", Integer.toString(DEFAULT_PORT)), problems);
		List<String> keys = splitKeys(c.api_keys());
		if (keys.isEmpty()) {
			String fromEnv = env.apply("RUNTIME_API_KEYS");
			keys = splitKeys(fromEnv == null ? new String[0] : new String[] { fromEnv });
		}
		String mode = r.string(c.api_prefix_mode(), "RUNTIME_API_PREFIX_MODE", "auto");
		PrefixMode prefixMode = PrefixMode.AUTO;
		try {
			prefixMode = PrefixMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			problems.add("api.prefix.mode must be auto, v1 or api, not '" + mode + "'; using auto");
		}
		String provider = r.string(c.provider_default(), "RUNTIME_PROVIDER", "llama_cpp");
		List<String> hosts = list(c.allowed_hosts(), env.apply("RUNTIME_ALLOWED_HOSTS"));
		List<String> origins = list(c.cors_origins(), env.apply("RUNTIME_CORS_ORIGINS")).stream()
				.map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o).toList();
		boolean insecure = r.bool("allow.insecure", c.allow_insecure(), "RUNTIME_ALLOW_INSECURE", false);
		boolean metricsPublic = r.bool("metrics.public", c.metrics_public(), "RUNTIME_METRICS_PUBLIC", false);
		List<String> aliasPairs = splitKeys(c.model_aliases());
		if (aliasPairs.isEmpty() && env.apply("RUNTIME_MODEL_ALIASES") != null) {
			aliasPairs = splitKeys(new String[] { env.apply("RUNTIME_MODEL_ALIASES") });
		}
		ModelAliases aliases = ModelAliases.parse(aliasPairs, problems);
		problems.addAll(r.problems());
		return new HttpSettings(host, port, List.copyOf(keys), prefixMode, provider,
				Math.max(1024, c.max_body_bytes()), Math.max(1, c.max_concurrent_requests()),
				Math.max(0, c.max_queued_requests()), Math.max(1, c.max_concurrent_requests_per_provider()),
				Math.max(0, c.max_queued_requests_per_provider()), Math.max(1, c.queue_timeout_seconds()),
				Math.max(1, c.body_timeout_seconds()), Math.max(1, c.idle_timeout_seconds()),
				Math.max(16, c.max_connections()), hosts, origins, insecure, metricsPublic, aliases,
				List.copyOf(problems));
	}

	private static int parsePort(String value, List<String> problems) {
		try {
			int p = Integer.parseInt(value.trim());
			if (p >= 0 && p <= 65535) {
				return p;
			}
		} catch (NumberFormatException e) {
			// reported below
		}
		problems.add("RUNTIME_LISTEN_PORT must be a port number, not '" + value + "'; using " + DEFAULT_PORT);
		return DEFAULT_PORT;
	}

	/** Configured values, else the comma-separated variable; lower-cased, without blanks. */
	private static List<String> list(String[] configured, String variable) {
		List<String> values = splitKeys(configured);
		if (values.isEmpty() && variable != null) {
			values = splitKeys(new String[] { variable });
		}
		return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
	}

	/**
	 * Where the listener really goes: a non-loopback host without API keys is refused (unless allow.insecure) and
	 * the listener stays on 127.0.0.1.
	 */
	String listenHost() {
		return refusedAsInsecure() ? "127.0.0.1" : host;
	}

	boolean refusedAsInsecure() {
		return !loopback() && apiKeys.isEmpty() && !allowInsecure;
	}

	/** Whether the configured listener is on a loopback address (or a name for one). */
	boolean loopback() {
		String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		return loopbackName(h.toLowerCase(Locale.ROOT));
	}

	/** localhost, a name under .localhost (browsers resolve those themselves), ::1, or an address in 127/8. */
	static boolean loopbackName(String host) {
		return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
				|| host.startsWith("127.") && host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
	}

	private static List<String> splitKeys(String[] values) {
		List<String> keys = new ArrayList<>();
		for (String v : values) {
			for (String k : v.split(",")) {
				if (!k.isBlank()) {
					keys.add(k.trim());
				}
			}
		}
		return keys;
	}

	/** 413 for a declared length over the limit, before anything is read. */
	ApiException tooLarge() {
		return new ApiException(ErrorType.PAYLOAD_TOO_LARGE,
				"Request body too large: the limit is " + maxBodyBytes + " bytes (max.body.bytes)", null,
				"request_too_large", null, null);
	}
}
