package ai.local.runtime.api;

import java.util.List;

/**
 * A generated token's log-probability under the model, with its text and bytes (a token may hold part of a
 * UTF-8 character: then its text is what those bytes decode to alone) and the most likely tokens at its step,
 * most likely first (their own {@code top} empty). A prompt's first token has the log-probability
 * {@link Double#NaN}: nothing before it predicts it.
 *
 * {@code id}: the token's id in the model's vocabulary when the provider knows it (llama-server gives it), else -1
 * (since 1.11).
 *
 * @since 1.10
 */
public record TokenLogprob(String token, double logprob, byte[] bytes, List<TokenLogprob> top, int id) {
	/**
	 * The {@link ChatRequest#extra()} / {@link CompletionRequest#extra()} key that asks for log-probabilities: how
	 * many of the most likely tokens to give with each generated one (0 for none beside it).
	 */
	public static final String REQUEST = "top_logprobs";

	/**
	 * The {@link CompletionRequest#extra()} key that asks for the prompt's log-probabilities too (OpenAI's
	 * {@code echo} with {@code logprobs}): how many of the most likely tokens to give with each prompt token.
	 *
	 * @since 1.11
	 */
	public static final String PROMPT_REQUEST = "prompt_logprobs";

	public TokenLogprob {
		top = top == null ? List.of() : List.copyOf(top);
	}

	public TokenLogprob(String token, double logprob, byte[] bytes, List<TokenLogprob> top) {
		this(token, logprob, bytes, top, -1);
	}
}
