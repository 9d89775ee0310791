package ai.local.runtime.toolloop;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/** The client of a whole (not streamed) run: it reads the result at the end, so nothing is sent on the way. */
final class NoClient implements ChatSink {
	static final NoClient INSTANCE = new NoClient();

	@Override
	public void text(String fragment) {
	}

	@Override
	public void toolCall(ToolCallDelta delta) {
	}

	@Override
	public void finish(FinishReason reason, Usage usage) {
	}

	@Override
	public boolean cancelled() {
		return false;
	}

	@Override
	public void onCancel(Runnable action) {
	}
}
