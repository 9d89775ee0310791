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
	private final List<String[]> calls = new ArrayList<>();
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
			calls.add(new String[] { delta.id(), delta.name(), "" });
		}
		calls.get(delta.index())[2] += delta.arguments() == null ? "" : delta.arguments();
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
		List<ToolCall> toolCalls = calls.stream().map(c -> new ToolCall(c[0], c[1], c[2])).toList();
		return new ChatResult(ChatMessage.assistant(text.toString(), toolCalls), reason, usage, notes);
	}
}
