package ai.local.runtime.provider.openai;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code provider.vllm}: the {@code vllm} provider, on when a host is set here or in VLLM_HOST. */
@ObjectClassDefinition(name = "Local AI Runtime: vLLM",
		description = "A vLLM OpenAI-compatible server, routed as vllm:model")
public @interface VllmConfig {
	String PID = "provider.vllm";

	@AttributeDefinition(name = "Host", required = false,
			description = "host[:port] or URL (port 8000 when none). Empty: VLLM_HOST; neither: the provider is off")
	String host() default "";

	@AttributeDefinition(name = "API key", required = false, type = AttributeType.PASSWORD,
			description = "vLLM's --api-key. Empty: VLLM_API_KEY")
	String api_key() default "";

	@AttributeDefinition(name = "Forward the caller's key", required = false, description = "Default false")
	String forward_caller_key() default "";

	@AttributeDefinition(name = "Connect timeout (ms)", required = false, description = "-1: 5000")
	long connect_timeout_ms() default -1;

	@AttributeDefinition(name = "Read timeout (ms)", required = false, description = "-1: 600000")
	long read_timeout_ms() default -1;

	@AttributeDefinition(name = "Max connections", required = false, description = "-1: 64")
	int max_connections() default -1;

	@AttributeDefinition(name = "Models", required = false, description = "Instead of asking /v1/models")
	String[] models() default {};

	@AttributeDefinition(name = "Model list cache (seconds)", required = false, description = "-1: 10")
	long models_cache_seconds() default -1;
}
