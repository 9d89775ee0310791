package ai.local.runtime.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs model, tool calls, tools and model again, until the model answers without calling a tool or a limit
 * is reached. Every step uses the same provider. When {@code sink} is not null the final answer and the
 * tool-call deltas are streamed to it.
 */
@ConsumerType
public interface ToolLoop {

	ToolLoopResult run(ChatProvider provider, ChatRequest request, ToolLoopLimits limits, ChatSink sink);

	/** Whether a {@link ToolSource} offers a tool of this name now, so a request naming it runs server-side. */
	boolean offers(String toolName);
}
