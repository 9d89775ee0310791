package ai.local.runtime.provider.openai.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import ai.local.runtime.api.settings.SettingsReader;

/**
 * The upstream settings every HTTP provider's configuration has, as configured (blank, negative or the default =
 * unset).
 * {@link #resolve} fills unset values from {@code <PREFIX>_HOST} and {@code <PREFIX>_API_KEY} (e.g.
 * OLLAMA_HOST, OLLAMA_API_KEY) and the defaults.
 */
public record UpstreamSettings(String host, String apiKey, boolean forwardCallerKey, String pathPrefix,
		long connectTimeoutMs, long readTimeoutMs, int maxConnections, List<String> models, long modelsCacheSeconds) {

	public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
	public static final long DEFAULT_READ_TIMEOUT_MS = 300_000;
	public static final int DEFAULT_MAX_CONNECTIONS = 64;
	public static final long DEFAULT_MODELS_CACHE_SECONDS = 10;

	public UpstreamSettings {
		models = models == null ? List.of()
				: models.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
	}

	/** For configuration properties that list models as a String[] or one comma-separated string. */
	public static List<String> list(String[] values) {
		return values == null ? List.of()
				: Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
						.filter(s -> !s.isEmpty()).toList();
	}

	/**
	 * The upstream, or null when no host is configured or in the environment.
	 *
	 * @param envPrefix e.g. {@code OLLAMA}; null for none
	 * @param defaultPort the port when the host names none; -1 for the scheme's
	 * @param defaultPrefix the path prefix when neither {@code pathPrefix} nor the host gives one, e.g. "/v1"
	 */
	public Upstream resolve(String provider, SettingsReader r, String envPrefix, int defaultPort,
			String defaultPrefix) {
		String address = r.string(host, envPrefix == null ? null : envPrefix + "_HOST", null);
		if (address == null) {
			return null;
		}
		String base;
		try {
			base = Upstream.baseUrl(address, defaultPort, pathPrefix == null || pathPrefix.isBlank() ? null
					: pathPrefix.trim(), defaultPrefix);
		} catch (IllegalArgumentException e) {
			r.problem("host: " + e.getMessage() + "; provider '" + provider + "' stays off");
			return null;
		}
		return new Upstream(provider, base, r.string(apiKey, envPrefix == null ? null : envPrefix + "_API_KEY", null),
				r.bool("forward.caller.key", forwardCallerKey, null, false),
				Duration.ofMillis(r.whole("connect.timeout.ms", connectTimeoutMs, null, DEFAULT_CONNECT_TIMEOUT_MS, 1)),
				Duration.ofMillis(r.whole("read.timeout.ms", readTimeoutMs, null, DEFAULT_READ_TIMEOUT_MS, 1)),
				r.integer("max.connections", maxConnections, null, DEFAULT_MAX_CONNECTIONS, 1), models,
				Duration.ofSeconds(r.whole("models.cache.seconds", modelsCacheSeconds, null,
						DEFAULT_MODELS_CACHE_SECONDS, 0)));
	}
}
