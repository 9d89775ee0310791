package ai.local.runtime.toolloop;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AI Runtime: tool loop", description = "Server-side tool runs (tool loop and planner)")
@interface ToolLoopConfig {

	@AttributeDefinition(description = "Time allowed for one tool call when the request gives no tool_timeout, "
			+ "in milliseconds")
	long tool_timeout_ms() default 30_000;

	@AttributeDefinition(description = "Tool calls running at once across all requests, at most")
	int max_parallel_tools() default 16;
}
