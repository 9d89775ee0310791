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
 * @param callerKey the API key the client presented to the runtime, or null (see {@link ChatRequest#callerKey()})
 */
public record EmbeddingRequest(String model, List<String> texts, List<int[]> tokens, Integer dimensions,
		String user, String callerKey) {

	public EmbeddingRequest {
		texts = texts == null ? List.of() : List.copyOf(texts);
		tokens = tokens == null ? List.of() : List.copyOf(tokens);
	}

	/** A request without a caller key. */
	public EmbeddingRequest(String model, List<String> texts, List<int[]> tokens, Integer dimensions, String user) {
		this(model, texts, tokens, dimensions, user, null);
	}

	public int size() {
		return texts.isEmpty() ? tokens.size() : texts.size();
	}

	public EmbeddingRequest withModel(String newModel) {
		return new EmbeddingRequest(newModel, texts, tokens, dimensions, user, callerKey);
	}

	public EmbeddingRequest withCallerKey(String key) {
		return new EmbeddingRequest(model, texts, tokens, dimensions, user, key);
	}

	/** Never shows the caller's key. */
	@Override
	public String toString() {
		return "EmbeddingRequest[model=" + model + ", inputs=" + size() + ", callerKey=" + (callerKey == null ? "none" : "***") + "]";
	}
}
