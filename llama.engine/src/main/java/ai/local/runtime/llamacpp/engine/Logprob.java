package ai.local.runtime.llamacpp.engine;

import java.util.List;

/**
 * A generated token's log-probability under the model (log-softmax of its raw logits, before any sampling step),
 * with its bytes (possibly part of a UTF-8 character) and the most likely tokens at that step, most likely first.
 *
 * @since 2.2
 */
public record Logprob(int token, byte[] bytes, float logprob, List<Logprob> top) {

	public Logprob {
		top = top == null ? List.of() : List.copyOf(top);
	}
}
