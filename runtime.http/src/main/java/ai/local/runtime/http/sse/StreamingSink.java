package ai.local.runtime.http.sse;

import java.util.function.Consumer;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ResultCollector;
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
	/** What was sent, as one result: for the session history and the request log. */
	private final ResultCollector sent = new ResultCollector();
	private Consumer<ChatResult> beforeFinish = result -> {
	};

	protected StreamingSink(SseStream out) {
		this.out = out;
	}

	@Override
	public final void text(String fragment) {
		if (fragment == null || fragment.isEmpty() || sent.finished()) {
			return;
		}
		sent.text(fragment);
		onText(fragment);
	}

	@Override
	public final void reasoning(String fragment) {
		if (fragment == null || fragment.isEmpty() || sent.finished()) {
			return;
		}
		sent.reasoning(fragment);
		onReasoning(fragment);
	}

	@Override
	public final void toolCall(ToolCallDelta delta) {
		if (sent.finished()) {
			return;
		}
		sent.toolCall(delta);
		onToolCall(delta);
	}

	@Override
	public final void logprobs(java.util.List<ai.local.runtime.api.TokenLogprob> tokens) {
		if (tokens == null || tokens.isEmpty() || sent.finished()) {
			return;
		}
		sent.logprobs(tokens);
		onLogprobs(tokens);
	}

	@Override
	public final void prompt(int promptTokens, int cachedTokens) {
		if (!sent.finished()) {
			onPrompt(promptTokens, cachedTokens);
		}
	}

	@Override
	public final void promptLogprobs(java.util.List<ai.local.runtime.api.TokenLogprob> tokens) {
		if (tokens == null || tokens.isEmpty() || sent.finished()) {
			return;
		}
		sent.promptLogprobs(tokens);
		onPromptLogprobs(tokens);
	}

	/** Before the first event a response header; after it, an SSE comment line {@code : x-runtime-<name>: value}. */
	@Override
	public final void note(String name, String value) {
		sent.note(name, value);
		if (out.started()) {
			out.comment(NOTE_HEADER_PREFIX + name + ": " + value);
		} else {
			out.header(NOTE_HEADER_PREFIX + name, value);
		}
	}

	@Override
	public final void finish(FinishReason reason, Usage u) {
		if (sent.finished()) {
			return;
		}
		sent.finish(reason, u);
		beforeFinish.accept(sent.result());
		onFinish(reason, sent.usage());
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
		if (!sent.finished()) {
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
		return sent.finished();
	}

	public Usage usage() {
		return sent.usage();
	}

	/** The completion as streamed so far; the finish reason is null until {@link #finish}. */
	public ChatResult result() {
		return sent.result();
	}

	protected String argumentsSoFar(int index) {
		return sent.argumentsSoFar(index);
	}

	protected String textSoFar() {
		return sent.textSoFar();
	}

	protected ToolCall call(int index) {
		return sent.call(index);
	}

	protected abstract void onText(String fragment);

	protected abstract void onToolCall(ToolCallDelta delta);

	/** Log-probabilities, for formats that carry them; the others leave them out of the stream. */
	protected void onLogprobs(java.util.List<ai.local.runtime.api.TokenLogprob> tokens) {
	}

	/** The prompt's size before the first piece, for formats that announce it. */
	protected void onPrompt(int promptTokens, int cachedTokens) {
	}

	/** The prompt's log-probabilities, for formats that carry them (a text completion's echo). */
	protected void onPromptLogprobs(java.util.List<ai.local.runtime.api.TokenLogprob> tokens) {
	}

	/** Reasoning, for formats that carry it; the others leave it out of the stream. */
	protected void onReasoning(String fragment) {
	}

	protected abstract void onFinish(FinishReason reason, Usage usage);

	protected abstract void onError(ApiException e);
}
