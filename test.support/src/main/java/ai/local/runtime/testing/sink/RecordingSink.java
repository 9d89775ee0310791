package ai.local.runtime.testing.sink;

import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/** A sink that keeps what it was given; {@link #cancelAfter} makes it hang up after that many pieces. */
public final class RecordingSink implements ChatSink {
	public final StringBuilder text = new StringBuilder();
	/** Reasoning, and where it came in the stream: the number of text pieces before its first fragment. */
	public final StringBuilder reasoning = new StringBuilder();
	public int textPiecesBeforeReasoning = -1;
	public final List<String> pieces = new ArrayList<>();
	public final List<ToolCallDelta> calls = new ArrayList<>();
	public FinishReason finish;
	public Usage usage;
	public int finishes;
	private final int cancelAfter;
	private final List<Runnable> onCancel = new ArrayList<>();
	private volatile boolean cancelled;

	public RecordingSink() {
		this(Integer.MAX_VALUE);
	}

	public RecordingSink(int cancelAfter) {
		this.cancelAfter = cancelAfter;
	}

	@Override
	public void text(String fragment) {
		text.append(fragment);
		pieces.add(fragment);
		maybeCancel();
	}

	@Override
	public void reasoning(String fragment) {
		if (textPiecesBeforeReasoning < 0) {
			textPiecesBeforeReasoning = pieces.size();
		}
		reasoning.append(fragment);
	}

	@Override
	public void toolCall(ToolCallDelta delta) {
		calls.add(delta);
		maybeCancel();
	}

	private void maybeCancel() {
		if (pieces.size() + calls.size() >= cancelAfter && !cancelled) {
			cancelled = true;
			onCancel.forEach(Runnable::run);
		}
	}

	@Override
	public void finish(FinishReason reason, Usage u) {
		finish = reason;
		usage = u;
		finishes++;
	}

	@Override
	public boolean cancelled() {
		return cancelled;
	}

	@Override
	public void onCancel(Runnable action) {
		onCancel.add(action);
		if (cancelled) {
			action.run();
		}
	}
}
