package ai.local.runtime.api;

import java.util.List;

/**
 * An embeddings request: either texts or pre-tokenized inputs.
 *
 * @param model the provider-local model id
 * @param texts the inputs as text; empty when {@code tokens} is used
 * @param tokens the inputs as token id arrays; empty when {@code texts} is used
 * @param dimensions the wanted vector size, where the model can shorten its vectors; null = native size
 * @param user the caller's end-user id, if given
 */
public record EmbeddingRequest(String model, List<String> texts, List<int[]> tokens, Integer dimensions,
		String user) {

	public EmbeddingRequest {
		texts = texts == null ? List.of() : List.copyOf(texts);
		tokens = tokens == null ? List.of() : List.copyOf(tokens);
	}

	public int size() {
		return texts.isEmpty() ? tokens.size() : texts.size();
	}

	public EmbeddingRequest withModel(String newModel) {
		return new EmbeddingRequest(newModel, texts, tokens, dimensions, user);
	}
}
