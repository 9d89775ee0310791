package ai.local.runtime.toolloop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ResultCollector;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/**
 * Receives one streamed model call and passes it on to the client: tool-call deltas at once (re-indexed after
 * the calls of earlier steps), text at once unless it starts like a tool call written as text, which is held
 * back until the step ends and then either read as calls or sent. The step's own finish is kept, not passed on:
 * only the loop knows which step is the last.
 */
final class StepSink implements ChatSink {
	private final ChatSink client;
	private final int indexBase;
	private final IdSource ids;
	/** The step as the model produced it (calls with the ids the client was given). */
	private final ResultCollector step = new ResultCollector();
	private final StringBuilder held = new StringBuilder();
	private boolean decided;
	/** The held text starts with a whole opener: it is held to the step's end, no need to look again. */
	private boolean heldToEnd;

	StepSink(ChatSink client, int indexBase, IdSource ids) {
		this.client = client;
		this.indexBase = indexBase;
		this.ids = ids;
	}

	@Override
	public void text(String fragment) {
		if (fragment == null || fragment.isEmpty()) {
			return;
		}
		step.text(fragment);
		if (decided) {
			client.text(fragment);
			return;
		}
		held.append(fragment);
		if (heldToEnd) {
			return;
		}
		String soFar = held.toString();
		if (TextToolCalls.opensCall(soFar)) {
			heldToEnd = true;
		} else if (!TextToolCalls.mayBeCall(soFar)) {
			release();
		}
	}

	/** Reasoning is not answer text: it can hold no tool call, and goes to the client at once. */
	@Override
	public void reasoning(String fragment) {
		client.reasoning(fragment);
	}

	@Override
	public void toolCall(ToolCallDelta delta) {
		release();
		if (delta.isStart()) {
			String id = delta.id() == null || delta.id().isBlank() ? ids.next() : delta.id();
			step.toolCall(new ToolCallDelta(delta.index(), id, delta.name(), delta.arguments()));
			client.toolCall(new ToolCallDelta(indexBase + delta.index(), id, delta.name(), delta.arguments()));
		} else {
			step.toolCall(delta);
			client.toolCall(new ToolCallDelta(indexBase + delta.index(), null, null, delta.arguments()));
		}
	}

	@Override
	public void note(String name, String value) {
		client.note(name, value);
	}

	@Override
	public void finish(FinishReason reason, Usage u) {
		step.finish(reason, u);
	}

	@Override
	public boolean cancelled() {
		return client.cancelled();
	}

	@Override
	public void onCancel(Runnable action) {
		client.onCancel(action);
	}

	/**
	 * The step as the loop sees it. Text held back is read for calls when the model made no native ones; what
	 * is not a call goes to the client now.
	 */
	Step step(Set<String> allowed, long millis) {
		ChatResult made = step.result();
		List<ToolCall> calls = new ArrayList<>(made.message().toolCalls());
		String answer = made.message().text();
		FinishReason finish = made.finishReason();
		if (calls.isEmpty() && !decided && held.length() > 0) {
			TextToolCalls.Parsed parsed = TextToolCalls.parse(held.toString(), allowed);
			if (!parsed.calls().isEmpty()) {
				answer = parsed.text();
				client.text(answer);
				for (TextToolCalls.Found f : parsed.calls()) {
					String id = ids.next();
					calls.add(new ToolCall(id, f.name(), f.arguments()));
					client.toolCall(ToolCallDelta.start(indexBase + calls.size() - 1, id, f.name()));
					client.toolCall(ToolCallDelta.arguments(indexBase + calls.size() - 1, f.arguments()));
				}
			} else {
				release();
			}
		}
		// a step cut by max_tokens stays cut: the arguments of its last call may never have ended
		FinishReason reason = calls.isEmpty() || finish == FinishReason.LENGTH ? finish : FinishReason.TOOL_CALLS;
		return new Step(answer, calls, reason, made.usage(), millis);
	}

	private void release() {
		if (!decided) {
			decided = true;
			if (held.length() > 0) {
				client.text(held.toString());
				held.setLength(0);
			}
		}
	}
}
