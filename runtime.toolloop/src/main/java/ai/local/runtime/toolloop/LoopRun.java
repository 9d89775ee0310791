package ai.local.runtime.toolloop;

import java.util.List;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolLoopResult;

/**
 * The tool loop: model, its tool calls run, model again with the results, until it answers without calling a
 * tool. The last step allowed by {@code max_steps} (or the one after {@code max_tool_calls} is spent) is offered
 * no tools, so the model answers with what it has. A call of a client tool ends the run with those calls for the
 * client to run, as without a server loop.
 */
final class LoopRun {
	private final Run run;

	LoopRun(Run run) {
		this.run = run;
	}

	ToolLoopResult run() {
		while (true) {
			boolean last = run.limitReached();
			if (last && run.steps() > 0) {
				run.trace.add("kind", "limit", "max_steps", run.limits.maxSteps(), "max_tool_calls",
						run.limits.maxToolCalls(), "tool_calls", run.toolCalls());
			}
			// the request's tool_choice binds its first step; later ones choose freely
			ToolChoice choice = run.steps() == 0 ? run.request.toolChoice() : null;
			Step step = run.model(List.of(), last ? List.of() : run.box.definitions(), choice,
					run.request.responseFormat(), false);
			if (run.client.cancelled()) {
				return run.finish(ChatMessage.assistant(step.text(), List.of()), FinishReason.STOP);
			}
			if (step.calls().isEmpty() || last || step.finish() == FinishReason.LENGTH) {
				// a call cut off by max_tokens is not run: its arguments are not whole, and sent back they fail
				FinishReason reason = step.finish() == null || step.finish() == FinishReason.TOOL_CALLS
						? FinishReason.STOP : step.finish();
				return run.finish(ChatMessage.assistant(step.text(), List.of()), reason);
			}
			run.transcript.add(ChatMessage.assistant(step.text(), step.calls()));
			run.runTools(step.calls());
			List<ToolCall> forClient = step.calls().stream().filter(c -> run.box.isClientTool(c.name())).toList();
			if (!forClient.isEmpty()) {
				// the client runs these and comes back with their results; the session keeps the whole turn
				return run.handBack(ChatMessage.assistant(step.text(), forClient));
			}
		}
	}
}
