package ai.local.runtime.provider.ollama;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code provider.ollama}: the {@code ollama} provider, on when a host is set here or in OLLAMA_HOST. */
@ObjectClassDefinition(name = "Local AI Runtime: Ollama",
		description = "An Ollama server through its native API, routed as ollama:model")
public @interface OllamaConfig {
	String PID = "provider.ollama";

	@AttributeDefinition(name = "Host", required = false,
			description = "host[:port] or URL (port 11434 when none). Empty: OLLAMA_HOST; neither: the provider is off")
	String host() default "";

	@AttributeDefinition(name = "API key", required = false, type = AttributeType.PASSWORD,
			description = "Bearer key for an Ollama behind a proxy. Empty: OLLAMA_API_KEY")
	String api_key() default "";

	@AttributeDefinition(name = "Forward the caller's key", required = false, description = "Send the client's own API key upstream instead of the configured one")
	boolean forward_caller_key() default false;

	@AttributeDefinition(name = "Context size (num_ctx)", required = false,
			description = "Sent as options.num_ctx unless a request sets it. -1: Ollama's own default")
	int num_ctx() default -1;

	@AttributeDefinition(name = "Keep alive", required = false,
			description = "How long Ollama keeps a model loaded after a request (e.g. 5m, 1h, -1). Empty: Ollama's default")
	String keep_alive() default "";

	@AttributeDefinition(name = "Connect timeout (ms)", required = false, description = "How long to wait for the upstream to accept a connection")
	long connect_timeout_ms() default 5000;

	@AttributeDefinition(name = "Read timeout (ms)", required = false,
			description = "Longest wait for the answer to start (model loading included) and between two chunks")
	long read_timeout_ms() default 300000;

	@AttributeDefinition(name = "Max connections", required = false, description = "Connections to the upstream open at once")
	int max_connections() default 64;

	@AttributeDefinition(name = "Model list cache (seconds)", required = false, description = "How long the upstream's model list is reused")
	long models_cache_seconds() default 10;
}
