package ai.local.runtime.llamacpp.engine;

/**
 * A code model's fill-in-the-middle tokens, as llama.cpp knows them (from the GGUF's keys or their text); -1 for
 * one the model does not have. {@code repo} and {@code fileSeparator} frame further files before the prefix
 * (Qwen2.5-Coder's {@code <|repo_name|>} and {@code <|file_sep|>}).
 *
 * @since 2.2
 */
public record FimTokens(int prefix, int suffix, int middle, int repo, int fileSeparator) {
	public static final FimTokens NONE = new FimTokens(-1, -1, -1, -1, -1);

	/** Whether the model can fill a gap: it has the prefix, suffix and middle tokens. */
	public boolean present() {
		return prefix >= 0 && suffix >= 0 && middle >= 0;
	}
}
