package ai.local.runtime.llamacpp.engine;

/**
 * One completion: the prompt's token ids, at most {@code maxTokens} new ones, in slot {@code slot} (which the
 * caller holds alone). {@code reuseCache}: decode only what follows the longest prefix the slot's KV cache already
 * holds. {@code grammar}: GBNF the output must follow, or null. {@code ignoreEos}: the end-of-generation tokens
 * are never sampled. {@code specialPieces}: generated control tokens come out as their text (e.g.
 * {@code <|channel|>}, {@code [TOOL_CALLS]}, {@code <|python_tag|>}), for a caller that parses a model's tool-call
 * or channel syntax; otherwise they come out as nothing. {@code grammarTriggers}: token ids that switch the grammar
 * on (a lazy grammar: the output is free until one of them is generated, which the grammar must start with);
 * empty for a grammar that holds from the first token. {@code logprobs}: -1 for none; otherwise each generated
 * token's log-probability comes with this many of the most likely tokens at its step (0 to 20), see
 * {@link Generation#logprobs()}. {@code promptLogprobs}: -1 for none; otherwise each prompt token's too, with
 * this many top tokens (the prompt is then decoded whole, in small steps: nothing cached is reused), see
 * {@link Generation#promptLogprobs()} (since 2.3). {@code maxTokens} 0: the prompt is only read (for its
 * log-probabilities).
 */
public record GenerateSpec(int[] prompt, int maxTokens, int slot, boolean reuseCache, Sampler sampler, String grammar,
		boolean ignoreEos, boolean specialPieces, int[] grammarTriggers, int logprobs, int promptLogprobs) {

	public static final int MAX_TOP_LOGPROBS = 20;

	public GenerateSpec {
		grammarTriggers = grammarTriggers == null ? new int[0] : grammarTriggers;
		if (logprobs > MAX_TOP_LOGPROBS || promptLogprobs > MAX_TOP_LOGPROBS) {
			throw new IllegalArgumentException("at most " + MAX_TOP_LOGPROBS + " top log-probabilities, not "
					+ Math.max(logprobs, promptLogprobs));
		}
	}

	/** A completion without the prompt's log-probabilities. */
	public GenerateSpec(int[] prompt, int maxTokens, int slot, boolean reuseCache, Sampler sampler, String grammar,
			boolean ignoreEos, boolean specialPieces, int[] grammarTriggers, int logprobs) {
		this(prompt, maxTokens, slot, reuseCache, sampler, grammar, ignoreEos, specialPieces, grammarTriggers, logprobs, -1);
	}

	/** A completion without log-probabilities. */
	public GenerateSpec(int[] prompt, int maxTokens, int slot, boolean reuseCache, Sampler sampler, String grammar,
			boolean ignoreEos, boolean specialPieces, int[] grammarTriggers) {
		this(prompt, maxTokens, slot, reuseCache, sampler, grammar, ignoreEos, specialPieces, grammarTriggers, -1);
	}

	/** A completion whose grammar, if any, holds from the first token. */
	public GenerateSpec(int[] prompt, int maxTokens, int slot, boolean reuseCache, Sampler sampler, String grammar,
			boolean ignoreEos, boolean specialPieces) {
		this(prompt, maxTokens, slot, reuseCache, sampler, grammar, ignoreEos, specialPieces, new int[0]);
	}

	/** A completion whose control tokens come out as nothing. */
	public GenerateSpec(int[] prompt, int maxTokens, int slot, boolean reuseCache, Sampler sampler, String grammar,
			boolean ignoreEos) {
		this(prompt, maxTokens, slot, reuseCache, sampler, grammar, ignoreEos, false);
	}
}
