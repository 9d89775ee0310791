package ai.local.runtime.provider.mnn;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code provider.mnn}: the {@code mnn} provider, on when a host is set here or in MNN_HOST. */
@ObjectClassDefinition(name = "Local AI Runtime: MNN", description = "An MNN LLM server, routed as mnn:model")
public @interface MnnConfig {
	String PID = "provider.mnn";

	@AttributeDefinition(name = "Host", required = false,
			description = "host:port or URL. Empty: MNN_HOST; neither: the provider is off")
	String host() default "";

	@AttributeDefinition(name = "Path prefix", required = false,
			description = "Put before /chat/completions and /models: /v1, or / for servers that serve them at the "
					+ "root. Empty: the host URL's path, else /v1")
	String path_prefix() default "";

	@AttributeDefinition(name = "API key", required = false, type = AttributeType.PASSWORD,
			description = "Empty: MNN_API_KEY")
	String api_key() default "";

	@AttributeDefinition(name = "Forward the caller's key", required = false, description = "Send the client's own API key upstream instead of the configured one")
	boolean forward_caller_key() default false;

	@AttributeDefinition(name = "Connect timeout (ms)", required = false, description = "How long to wait for the upstream to accept a connection")
	long connect_timeout_ms() default 5000;

	@AttributeDefinition(name = "Read timeout (ms)", required = false, description = "Longest wait for the answer to start and between two chunks")
	long read_timeout_ms() default 300000;

	@AttributeDefinition(name = "Max connections", required = false, description = "Connections to the upstream open at once")
	int max_connections() default 64;

	@AttributeDefinition(name = "Models", required = false,
			description = "The model ids to list; needed for servers without a model list")
	String[] models() default {};

	@AttributeDefinition(name = "Model list cache (seconds)", required = false, description = "How long the upstream's model list is reused")
	long models_cache_seconds() default 10;
}
