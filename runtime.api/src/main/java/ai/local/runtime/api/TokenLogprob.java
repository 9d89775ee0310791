package ai.local.runtime.api;

import java.util.List;

/**
 * A generated token's log-probability under the model, with its text and bytes (a token may hold part of a
 * UTF-8 character: then its text is what those bytes decode to alone) and the most likely tokens at its step,
 * most likely first (their own {@code top} empty).
 *
 * @since 1.10
 */
public record TokenLogprob(String token, double logprob, byte[] bytes, List<TokenLogprob> top) {
	/**
	 * The {@link ChatRequest#extra()} / {@link CompletionRequest#extra()} key that asks for log-probabilities: how
	 * many of the most likely tokens to give with each generated one (0 for none beside it).
	 */
	public static final String REQUEST = "top_logprobs";

	public TokenLogprob {
		top = top == null ? List.of() : List.copyOf(top);
	}
}
