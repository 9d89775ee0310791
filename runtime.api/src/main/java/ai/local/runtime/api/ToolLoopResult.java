package ai.local.runtime.api;

import java.util.List;

/**
 * The outcome of a tool run: the final completion, every message the run added (assistant tool calls, tool
 * results, the final answer) for the session history, and one trace line per step when asked.
 */
public record ToolLoopResult(ChatResult result, List<ChatMessage> transcript, List<String> trace) {

	public ToolLoopResult {
		transcript = List.copyOf(transcript);
		trace = trace == null ? List.of() : List.copyOf(trace);
	}
}
