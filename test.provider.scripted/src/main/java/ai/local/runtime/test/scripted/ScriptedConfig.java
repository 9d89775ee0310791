package ai.local.runtime.test.scripted;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Test provider: scripted", description = "Streams scripted deltas for tests")
public @interface ScriptedConfig {

	@AttributeDefinition(description = "Provider name (model-id prefix)")
	String name() default "scripted";

	@AttributeDefinition(description = "Delay between streamed pieces of the 'slow' model, in milliseconds")
	int slow_delay_ms() default 20;
}
