package ai.local.runtime.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@code runtime.http}. Each default is the built-in one; the environment variable named in the
 * description (also accepted as a -D system property) replaces it while the attribute is unset or holds that
 * default.
 */
@ObjectClassDefinition(name = "Local AI Runtime: HTTP API",
		description = "The OpenAI-compatible HTTP router: listener, API keys, prefixes and limits")
public @interface HttpConfig {
	String PID = "runtime.http";

	@AttributeDefinition(name = "Listen host", required = false,
			description = "Address to listen on (0.0.0.0: every interface; set API keys first). "
					+ "RUNTIME_LISTEN_HOST replaces the default")
	String host() default "127.0.0.1";

	@AttributeDefinition(name = "Listen port", required = false,
			description = "Port to listen on; 0 picks a free port. RUNTIME_LISTEN_PORT replaces the default")
	int port() default 8080;

	@AttributeDefinition(name = "API keys", type = AttributeType.PASSWORD, required = false,
			description = "Accepted API keys (comma-separated or several values). Empty: RUNTIME_API_KEYS; "
					+ "no keys at all turns authentication off")
	String[] api_keys() default {};

	@AttributeDefinition(name = "API prefix mode", required = false,
			description = "auto: serve /v1 and /api/v1; v1: only /v1; api: only /api/v1. RUNTIME_API_PREFIX_MODE replaces the default",
			options = { @Option(label = "auto", value = "auto"), @Option(label = "v1", value = "v1"),
					@Option(label = "api", value = "api") })
	String api_prefix_mode() default "auto";

	@AttributeDefinition(name = "Default provider", required = false,
			description = "Provider that gets model ids without a known provider prefix. RUNTIME_PROVIDER replaces the default")
	String provider_default() default "llama_cpp";

	@AttributeDefinition(name = "Allowed hosts", required = false,
			description = "Host header values served besides localhost, 127.0.0.1, ::1 and the listen host (a name "
					+ "or IP; * for any). Others get 403: a web page cannot reach the runtime by DNS rebinding. "
					+ "RUNTIME_ALLOWED_HOSTS (comma-separated) replaces the default")
	String[] allowed_hosts() default {};

	@AttributeDefinition(name = "CORS origins", required = false,
			description = "Web origins (scheme://host[:port]) whose pages may call the API from a browser; * for any. "
					+ "None: cross-origin requests get 403. RUNTIME_CORS_ORIGINS (comma-separated) replaces the default")
	String[] cors_origins() default {};

	@AttributeDefinition(name = "Allow insecure listening", required = false,
			description = "Listen on a non-loopback address without API keys. Off: such a listener is refused and "
					+ "the runtime stays on 127.0.0.1. RUNTIME_ALLOW_INSECURE replaces the default")
	boolean allow_insecure() default false;

	@AttributeDefinition(name = "Public metrics", required = false,
			description = "Serve /metrics without an API key when keys are configured (for a scraper that cannot "
					+ "send one). RUNTIME_METRICS_PUBLIC replaces the default")
	boolean metrics_public() default false;

	@AttributeDefinition(name = "Max body bytes", description = "Larger request bodies get 413")
	long max_body_bytes() default 16L * 1024 * 1024;

	@AttributeDefinition(name = "Max concurrent requests",
			description = "Model requests running at once; more wait in the queue")
	int max_concurrent_requests() default 64;

	@AttributeDefinition(name = "Max queued requests", description = "Waiting model requests; beyond this: 429")
	int max_queued_requests() default 128;

	@AttributeDefinition(name = "Max connections",
			description = "Open client connections at most; at the limit new ones wait to be accepted and idle ones "
					+ "are closed after a second")
	int max_connections() default 2048;

	@AttributeDefinition(name = "Body timeout (seconds)",
			description = "Longest time a client may take to send a request body (also: at least 1 KB a second); "
					+ "beyond it: 408")
	int body_timeout_seconds() default 30;

	@AttributeDefinition(name = "Idle timeout (seconds)",
			description = "A connection on which a read or write makes no progress this long is closed (a client "
					+ "that stopped sending its body or reading its stream); a request that is only waiting for its "
					+ "answer is not affected")
	int idle_timeout_seconds() default 15;

	@AttributeDefinition(name = "Max concurrent requests per provider",
			description = "Model requests running at once for one provider (a bulkhead: a hung upstream cannot take "
					+ "every slot); at most max.concurrent.requests")
	int max_concurrent_requests_per_provider() default 48;

	@AttributeDefinition(name = "Max queued requests per provider",
			description = "Requests waiting for one provider; beyond this: 429. At most max.queued.requests")
	int max_queued_requests_per_provider() default 96;

	@AttributeDefinition(name = "Queue timeout (seconds)",
			description = "How long a request may wait for a free slot before it gets 429")
	int queue_timeout_seconds() default 120;

	@AttributeDefinition(name = "Provider drain (seconds)",
			description = "When a provider bundle is updated or removed, how long its running requests may take to "
					+ "finish before it goes")
	int provider_drain_seconds() default 30;

	@AttributeDefinition(name = "Provider return (seconds)",
			description = "How long a request waits for a provider whose bundle is being updated to come back "
					+ "(cut short when the bundle is uninstalled)")
	int provider_return_seconds() default 10;

	@AttributeDefinition(name = "Model aliases",
			description = "Other names for models, as NAME=MODEL (NAME may hold * for any text), e.g. "
					+ "claude-*=qwen3-8b-q4_k_m for Claude Code. The first match wins. RUNTIME_MODEL_ALIASES "
					+ "(comma-separated) replaces the default")
	String[] model_aliases() default {};

	@AttributeDefinition(name = "Log every request",
			description = "One log line per API request (method, path, model, provider, status, time, tokens); "
					+ "off leaves errors and warnings only, like an access log turned off")
	boolean log_requests() default true;
}
