package ai.local.runtime.provider.openai;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Factory PID {@code provider.openai}: one instance per OpenAI-compatible server (file conf/provider.openai-NAME.cfg gives PID provider.openai~NAME). */
@ObjectClassDefinition(name = "Local AI Runtime: OpenAI-compatible upstream",
		description = "One OpenAI-compatible server (vLLM, llama-server, LM Studio, LocalAI, a cloud API ...) whose "
				+ "models are routed as NAME:model")
public @interface OpenAiConfig {
	String FACTORY_PID = "provider.openai";

	@AttributeDefinition(name = "Name", required = false,
			description = "The model-id prefix (no ':'). Empty: the configuration's name (provider.openai~NAME)")
	String name() default "";

	@AttributeDefinition(name = "Base URL", description = "e.g. http://127.0.0.1:8000 or https://host/v1")
	String base_url() default "";

	@AttributeDefinition(name = "Path prefix", required = false,
			description = "Put before /chat/completions, /models, /embeddings. Empty: the base URL's path, or /v1 "
					+ "when it has none")
	String path_prefix() default "";

	@AttributeDefinition(name = "API key", required = false, type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
			description = "Sent as Authorization: Bearer")
	String api_key() default "";

	@AttributeDefinition(name = "Forward the caller's key", required = false,
			description = "true: send the API key the client presented to the runtime instead (the key above stays "
					+ "the fallback). Default false")
	boolean forward_caller_key() default false;

	@AttributeDefinition(name = "Connect timeout (ms)", required = false, description = "How long to wait for the upstream to accept a connection")
	long connect_timeout_ms() default 5000;

	@AttributeDefinition(name = "Read timeout (ms)", required = false,
			description = "Longest wait for the answer to start and between two chunks; beyond it: 504")
	long read_timeout_ms() default 300000;

	@AttributeDefinition(name = "Max connections", required = false, description = "Connections to the upstream open at once")
	int max_connections() default 64;

	@AttributeDefinition(name = "Models", required = false,
			description = "List these model ids instead of asking the server's /models")
	String[] models() default {};

	@AttributeDefinition(name = "Model list cache (seconds)", required = false, description = "How long the upstream's model list is reused")
	long models_cache_seconds() default 10;
}
