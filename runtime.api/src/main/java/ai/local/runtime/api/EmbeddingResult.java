package ai.local.runtime.api;

import java.util.List;

/** One vector per input, in input order, and the tokens the inputs took. */
public record EmbeddingResult(List<float[]> vectors, int promptTokens) {

	public EmbeddingResult {
		vectors = List.copyOf(vectors);
	}
}
