package ai.local.runtime.llamacpp.engine;

import java.nio.file.Path;

/**
 * How to load a model. {@code contextSize} is the total KV context, shared by {@code parallel} slots;
 * {@code pooling} non-null loads the model for embeddings instead of generation.
 */
public record LoadSpec(Path file, int contextSize, int parallel, int batch, int ubatch, int threads,
		int gpuLayers, boolean offloadKqv, boolean flashAttention, Pooling pooling) {

	/** Embedding pooling; llama.cpp's MEAN pooling aborts the JVM in java-llama.cpp 4.2.0, so it is not offered. */
	public enum Pooling {
		LAST, CLS
	}
}
