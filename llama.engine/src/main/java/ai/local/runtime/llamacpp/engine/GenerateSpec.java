package ai.local.runtime.llamacpp.engine;

/**
 * One completion: the prompt's token ids, at most {@code maxTokens} new ones, in slot {@code slot} (which the
 * caller holds alone). {@code reuseCache}: decode only what follows the longest prefix the slot's KV cache already
 * holds. {@code grammar}: GBNF the output must follow, or null. {@code ignoreEos}: the end-of-generation tokens
 * are never sampled.
 */
public record GenerateSpec(int[] prompt, int maxTokens, int slot, boolean reuseCache, Sampler sampler, String grammar,
		boolean ignoreEos) {
}
