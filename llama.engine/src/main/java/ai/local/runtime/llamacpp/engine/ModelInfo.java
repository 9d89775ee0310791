package ai.local.runtime.llamacpp.engine;

/**
 * A model as its GGUF header describes it. {@code quantization} is llama.cpp's name of the file type (e.g.
 * {@code Q4_K - Medium}); {@code chatTemplate} is empty when the file has none.
 */
public record ModelInfo(String architecture, String name, String description, long sizeBytes, long parameters,
		String quantization, int trainedContext, int servedContext, int embeddingLength, int vocabularySize,
		String chatTemplate, String bosToken, String eosToken, boolean recurrent) {
}
