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

	@AttributeDefinition(name = "Forward the caller's key", required = false, description = "Default false")
	String forward_caller_key() default "";

	@AttributeDefinition(name = "Connect timeout (ms)", required = false, description = "-1: 5000")
	long connect_timeout_ms() default -1;

	@AttributeDefinition(name = "Read timeout (ms)", required = false, description = "-1: 600000")
	long read_timeout_ms() default -1;

	@AttributeDefinition(name = "Max connections", required = false, description = "-1: 64")
	int max_connections() default -1;

	@AttributeDefinition(name = "Models", required = false,
			description = "The model ids to list; needed for servers without a model list")
	String[] models() default {};

	@AttributeDefinition(name = "Model list cache (seconds)", required = false, description = "-1: 10")
	long models_cache_seconds() default -1;
}
