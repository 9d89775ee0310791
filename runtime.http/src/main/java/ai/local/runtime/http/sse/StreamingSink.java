package ai.local.runtime.http.sse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/**
 * A {@link ChatSink} that writes one wire format to an {@link SseStream} and, on the way, assembles the whole
 * result (for the session history and the request log). Subclasses only translate events into their format.
 */
public abstract class StreamingSink implements ChatSink {
	/** Notes ({@link ChatResult#notes()}) reach the client as response headers with this prefix. */
	public static final String NOTE_HEADER_PREFIX = "x-runtime-";

	protected final SseStream out;
	private final StringBuilder text = new StringBuilder();
	private final StringBuilder reasoning = new StringBuilder();
	private final List<StringBuilder> arguments = new ArrayList<>();
	private final List<ToolCall> calls = new ArrayList<>();
	private final Map<String, String> notes = new LinkedHashMap<>();
	private FinishReason finishReason;
	private Usage usage;
	private Consumer<ChatResult> beforeFinish = result -> {
	};

	protected StreamingSink(SseStream out) {
		this.out = out;
	}

	@Override
	public final void text(String fragment) {
		if (fragment == null || fragment.isEmpty() || finishReason != null) {
			return;
		}
		text.append(fragment);
		onText(fragment);
	}

	@Override
	public final void reasoning(String fragment) {
		if (fragment == null || fragment.isEmpty() || finishReason != null) {
			return;
		}
		reasoning.append(fragment);
		onReasoning(fragment);
	}

	@Override
	public final void toolCall(ToolCallDelta delta) {
		if (finishReason != null) {
			return;
		}
		if (delta.isStart()) {
			if (delta.index() != calls.size()) {
				throw ApiException.upstream("tool call " + delta.index() + " started out of order", null);
			}
			calls.add(new ToolCall(delta.id(), delta.name(), ""));
			arguments.add(new StringBuilder());
		} else if (delta.index() < 0 || delta.index() >= calls.size()) {
			throw ApiException.upstream("arguments for tool call " + delta.index() + " before its start", null);
		}
		if (delta.arguments() != null) {
			arguments.get(delta.index()).append(delta.arguments());
		}
		onToolCall(delta);
	}

	/** Before the first event a response header; after it, an SSE comment line {@code : x-runtime-<name>: value}. */
	@Override
	public final void note(String name, String value) {
		notes.put(name, value);
		if (out.started()) {
			out.comment(NOTE_HEADER_PREFIX + name + ": " + value);
		} else {
			out.header(NOTE_HEADER_PREFIX + name, value);
		}
	}

	@Override
	public final void finish(FinishReason reason, Usage u) {
		if (finishReason != null) {
			return;
		}
		finishReason = reason;
		usage = u == null ? Usage.NONE : u;
		beforeFinish.accept(result());
		onFinish(reason, usage);
		out.close();
	}

	/**
	 * Runs {@code action} with the whole result when the provider finishes, before the final event goes out:
	 * a client that sends its next turn the moment it sees the end finds this one stored. Not run for a stream
	 * that fails or is cancelled.
	 */
	public void beforeFinish(Consumer<ChatResult> action) {
		beforeFinish = action;
	}

	/** Reports a failure after the stream started, in the format's own error event, and ends the stream. */
	public final void fail(ApiException e) {
		if (finishReason == null) {
			onError(e);
		}
		out.close();
	}

	@Override
	public boolean cancelled() {
		return out.cancelled();
	}

	@Override
	public void onCancel(Runnable action) {
		out.onCancel(action);
	}

	/** Sends a keep-alive comment when the stream has been silent for {@code idleNanos}. */
	public void keepAlive(long idleNanos) {
		out.heartbeatIfIdle(idleNanos);
	}

	public boolean started() {
		return out.started();
	}

	public boolean finished() {
		return finishReason != null;
	}

	public Usage usage() {
		return usage;
	}

	/** The completion as streamed so far; the finish reason is null until {@link #finish}. */
	public ChatResult result() {
		List<ToolCall> whole = new ArrayList<>();
		for (int i = 0; i < calls.size(); i++) {
			whole.add(new ToolCall(calls.get(i).id(), calls.get(i).name(), arguments.get(i).toString()));
		}
		return new ChatResult(ChatMessage.assistant(text.toString(), whole), finishReason,
				usage == null ? Usage.NONE : usage, notes, reasoning.toString());
	}

	protected String argumentsSoFar(int index) {
		return arguments.get(index).toString();
	}

	protected String textSoFar() {
		return text.toString();
	}

	protected ToolCall call(int index) {
		return calls.get(index);
	}

	protected abstract void onText(String fragment);

	protected abstract void onToolCall(ToolCallDelta delta);

	/** Reasoning, for formats that carry it; the others leave it out of the stream. */
	protected void onReasoning(String fragment) {
	}

	protected abstract void onFinish(FinishReason reason, Usage usage);

	protected abstract void onError(ApiException e);
}
