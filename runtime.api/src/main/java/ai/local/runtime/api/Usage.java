package ai.local.runtime.api;

/**
 * Token counts of one completion or embedding call. {@code cachedTokens}: the part of {@code promptTokens} that a
 * KV cache already held, so it was not read again (OpenAI's {@code cached_tokens}, Anthropic's
 * {@code cache_read_input_tokens}). {@code promptNanos} and {@code generationNanos}: how long the model took to
 * read the prompt up to the first token, and to generate from there to the end (llama-server's {@code timings},
 * Ollama's durations); 0 when the provider did not measure them. Since 1.11 for the last three.
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, long promptNanos, long generationNanos) {

	public static final Usage NONE = new Usage(0, 0);

	public Usage {
		cachedTokens = Math.max(0, Math.min(cachedTokens, promptTokens));
		promptNanos = Math.max(0, promptNanos);
		generationNanos = Math.max(0, generationNanos);
	}

	public Usage(int promptTokens, int completionTokens) {
		this(promptTokens, completionTokens, 0, 0, 0);
	}

	public int totalTokens() {
		return promptTokens + completionTokens;
	}

	/** Whether the provider measured how long the model took. */
	public boolean timed() {
		return promptNanos > 0 || generationNanos > 0;
	}

	public Usage plus(Usage other) {
		return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
				cachedTokens + other.cachedTokens, promptNanos + other.promptNanos, generationNanos + other.generationNanos);
	}
}
