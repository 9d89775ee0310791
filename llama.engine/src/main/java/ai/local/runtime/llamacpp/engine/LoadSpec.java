package ai.local.runtime.llamacpp.engine;

import java.nio.file.Path;

/**
 * How to load a model. {@code contextSize} is the total KV context, shared by {@code parallel} slots;
 * {@code pooling} non-null loads the model for embeddings (or reranking) instead of generation.
 */
public record LoadSpec(Path file, int contextSize, int parallel, int batch, int ubatch, int threads,
		int gpuLayers, boolean offloadKqv, FlashAttention flashAttention, Pooling pooling) {

	/** How an embedding model pools its token vectors into one; RANK gives a reranker's score. */
	public enum Pooling {
		MEAN, CLS, LAST, RANK
	}

	public enum FlashAttention {
		AUTO, ENABLED, DISABLED
	}
}
