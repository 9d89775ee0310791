package ai.local.runtime.llamacpp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/** Collects a streamed completion into a whole {@link ChatResult}, for non-streaming requests. */
final class ResultCollector implements ChatSink {
	private final StringBuilder text = new StringBuilder();
	private final List<ToolCall> calls = new ArrayList<>();
	private final List<StringBuilder> arguments = new ArrayList<>();
	private final Map<String, String> notes = new LinkedHashMap<>();
	private FinishReason reason;
	private Usage usage;

	@Override
	public void text(String fragment) {
		text.append(fragment);
	}

	@Override
	public void toolCall(ToolCallDelta delta) {
		if (delta.isStart()) {
			calls.add(new ToolCall(delta.id(), delta.name(), ""));
			arguments.add(new StringBuilder());
		}
		if (delta.arguments() != null) {
			arguments.get(delta.index()).append(delta.arguments());
		}
	}

	@Override
	public void note(String name, String value) {
		notes.put(name, value);
	}

	@Override
	public void finish(FinishReason finishReason, Usage u) {
		reason = finishReason;
		usage = u;
	}

	@Override
	public boolean cancelled() {
		return false;
	}

	@Override
	public void onCancel(Runnable action) {
		// a whole response has no client stream to lose
	}

	ChatResult result() {
		List<ToolCall> toolCalls = new ArrayList<>();
		for (int i = 0; i < calls.size(); i++) {
			toolCalls.add(new ToolCall(calls.get(i).id(), calls.get(i).name(), arguments.get(i).toString()));
		}
		return new ChatResult(ChatMessage.assistant(text.toString(), toolCalls), reason, usage, notes);
	}
}
