package ai.local.runtime.http;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/**
 * Passes a tool run's stream through but keeps its end back until {@link #release()}, so the run's whole
 * transcript is stored before the client sees the stream finish.
 */
final class HeldFinish implements ChatSink {
	private final ChatSink target;
	private FinishReason reason;
	private Usage usage;

	HeldFinish(ChatSink target) {
		this.target = target;
	}

	@Override
	public void text(String fragment) {
		target.text(fragment);
	}

	@Override
	public void reasoning(String fragment) {
		target.reasoning(fragment);
	}

	@Override
	public void toolCall(ToolCallDelta delta) {
		target.toolCall(delta);
	}

	@Override
	public void logprobs(java.util.List<ai.local.runtime.api.TokenLogprob> tokens) {
		target.logprobs(tokens);
	}

	@Override
	public void note(String name, String value) {
		target.note(name, value);
	}

	@Override
	public void finish(FinishReason r, Usage u) {
		if (reason == null) {
			reason = r;
			usage = u;
		}
	}

	@Override
	public boolean cancelled() {
		return target.cancelled();
	}

	@Override
	public void onCancel(Runnable action) {
		target.onCancel(action);
	}

	void release() {
		if (reason != null) {
			target.finish(reason, usage);
		}
	}
}
