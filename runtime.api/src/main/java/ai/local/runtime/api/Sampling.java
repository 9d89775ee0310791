package ai.local.runtime.api;

import java.util.List;

/**
 * Sampling settings of one request. A null value means "not given": the provider uses its configured default.
 *
 * @param maxTokens max_tokens / max_completion_tokens / max_output_tokens
 * @param stop stop sequences (never null)
 */
public record Sampling(Double temperature, Double topP, Double minP, Integer topK, Integer maxTokens, Long seed,
		List<String> stop, Double presencePenalty, Double frequencyPenalty, Double repeatPenalty) {

	public static final Sampling DEFAULTS = new Sampling(null, null, null, null, null, null, List.of(), null, null,
			null);

	public Sampling {
		stop = stop == null ? List.of() : List.copyOf(stop);
	}
}
