package ai.local.runtime.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a streaming provider sends its output, in order: any number of {@link #reasoning}, {@link #text} and
 * {@link #toolCall} pieces, then exactly one {@link #finish}. Calls come from one thread at a time. The runtime
 * implements it; a write to a client that went away turns {@link #cancelled()} true and runs the
 * {@link #onCancel} actions. Many bundles implement it (every streaming writer, the tool loop, providers that
 * collect a stream with {@link ResultCollector}), so it is a consumer type: new methods come with defaults.
 */
@ConsumerType
public interface ChatSink {

	/** A piece of assistant text, sent as soon as it exists. */
	void text(String fragment);

	/** A piece of a tool call (see {@link ToolCallDelta}). */
	void toolCall(ToolCallDelta delta);

	/**
	 * A piece of what a reasoning model thinks before (or between) its answer, when its server reports it apart
	 * from the answer ({@code reasoning_content}, Ollama's {@code thinking}). Shown to clients that read it,
	 * never kept in a session's history.
	 */
	default void reasoning(String fragment) {
	}

	/**
	 * A fact about this completion for the client (see {@link ChatResult#notes()}), sent as the response header
	 * {@code x-runtime-<name>} when given before the first {@link #text} or {@link #toolCall}; a streaming
	 * endpoint sends later ones as comment lines ({@code : x-runtime-<name>: value} in SSE).
	 */
	default void note(String name, String value) {
	}

	/**
	 * The log-probabilities of generated tokens, in order, when the request asked for them (an extra
	 * {@code logprobs}: how many top tokens to give with each) and the provider has them; ignored by default.
	 *
	 * @since 1.10
	 */
	default void logprobs(java.util.List<TokenLogprob> tokens) {
	}

	/**
	 * The prompt's size as soon as the provider knows it, before the first piece: its tokens and how many of them
	 * a KV cache held (as {@link Usage} gives them at the end), for dialects that announce it first (Anthropic's
	 * {@code message_start}). Ignored by default.
	 *
	 * @since 1.11
	 */
	default void prompt(int promptTokens, int cachedTokens) {
	}

	/**
	 * The log-probabilities of the prompt's tokens, each given the tokens before it (the first one's is
	 * {@link Double#NaN}: nothing predicts it), when the request asked for them ({@link TokenLogprob#PROMPT_REQUEST})
	 * and the provider has them; at most once, before any {@link #text}. Ignored by default.
	 *
	 * @since 1.11
	 */
	default void promptLogprobs(java.util.List<TokenLogprob> tokens) {
	}

	/** The end of the completion. */
	void finish(FinishReason reason, Usage usage);

	/** True once the client has gone away; the provider should stop generating and return. */
	boolean cancelled();

	/**
	 * Runs {@code action} once when the client goes away (at once if it already has). For providers blocked
	 * on I/O, e.g. to abort an upstream request; a provider that polls {@link #cancelled()} needs none.
	 */
	void onCancel(Runnable action);
}
