package ai.local.runtime.provider.lmdeploy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code provider.lmdeploy}: the {@code lmdeploy} provider, on when a host is set here or in LMDEPLOY_HOST. */
@ObjectClassDefinition(name = "Local AI Runtime: LMDeploy",
		description = "An LMDeploy api_server, routed as lmdeploy:model")
public @interface LmDeployConfig {
	String PID = "provider.lmdeploy";

	@AttributeDefinition(name = "Host", required = false,
			description = "host[:port] or URL (port 23333 when none). Empty: LMDEPLOY_HOST; neither: the provider is off")
	String host() default "";

	@AttributeDefinition(name = "API key", required = false, type = AttributeType.PASSWORD,
			description = "One of the server's --api-keys. Empty: LMDEPLOY_API_KEY")
	String api_key() default "";

	@AttributeDefinition(name = "Forward the caller's key", required = false, description = "Send the client's own API key upstream instead of the configured one")
	boolean forward_caller_key() default false;

	@AttributeDefinition(name = "Connect timeout (ms)", required = false, description = "How long to wait for the upstream to accept a connection")
	long connect_timeout_ms() default 5000;

	@AttributeDefinition(name = "Read timeout (ms)", required = false, description = "Longest wait for the answer to start and between two chunks")
	long read_timeout_ms() default 300000;

	@AttributeDefinition(name = "Max connections", required = false, description = "Connections to the upstream open at once")
	int max_connections() default 64;

	@AttributeDefinition(name = "Models", required = false, description = "Instead of asking /v1/models")
	String[] models() default {};

	@AttributeDefinition(name = "Model list cache (seconds)", required = false, description = "How long the upstream's model list is reused")
	long models_cache_seconds() default 10;
}
