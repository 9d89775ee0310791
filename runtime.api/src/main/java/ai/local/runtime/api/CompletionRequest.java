package ai.local.runtime.api;

import java.util.List;
import java.util.Map;

/**
 * A text completion without a chat template ({@code /v1/completions}, llama-server's {@code /infill}, Ollama's
 * {@code /api/generate} with {@code raw} or {@code suffix}): the model continues {@code prompt} as written.
 * With {@code suffix} (or {@code extraContext}) it is fill-in-the-middle: the model writes what goes between
 * {@code prompt} and {@code suffix}, in its own FIM tokens.
 *
 * @param model the provider-local model id
 * @param prompt the text to continue (special tokens written in it are read as such)
 * @param suffix the text after the gap, for fill-in-the-middle; null for none
 * @param extraContext further files or snippets that come before the prefix (llama-server's {@code input_extra}),
 *        each as its text; empty for none
 * @param middle the start of the gap as already written, which the model continues (llama-server's /infill
 *        {@code prompt}: an editor's text before the cursor on its line); null for none
 * @param sampling sampling settings
 * @param extra provider-specific fields passed through untouched (never null)
 * @param callerKey the API key the client presented, or null (see {@link ChatRequest#callerKey()})
 * @param promptTokens the prompt as the model's token ids (OpenAI's and llama-server's array form), taken as they
 *        are instead of {@code prompt} when not empty; since 1.11
 * @since 1.10
 */
public record CompletionRequest(String model, String prompt, String suffix, List<String> extraContext, String middle,
		Sampling sampling, Map<String, Object> extra, String callerKey, List<Integer> promptTokens) {

	public CompletionRequest {
		prompt = prompt == null ? "" : prompt;
		extraContext = extraContext == null ? List.of() : List.copyOf(extraContext);
		sampling = sampling == null ? Sampling.DEFAULTS : sampling;
		extra = extra == null ? Map.of() : Map.copyOf(extra);
		promptTokens = promptTokens == null ? List.of() : List.copyOf(promptTokens);
	}

	public CompletionRequest(String model, String prompt, String suffix, List<String> extraContext, String middle,
			Sampling sampling, Map<String, Object> extra, String callerKey) {
		this(model, prompt, suffix, extraContext, middle, sampling, extra, callerKey, List.of());
	}

	/** Whether the prompt is given as token ids. */
	public boolean tokenized() {
		return !promptTokens.isEmpty();
	}

	/** Whether the model fills a gap rather than continuing the prompt. */
	public boolean infill() {
		return suffix != null || middle != null || !extraContext.isEmpty();
	}

	public CompletionRequest withModel(String newModel) {
		return new CompletionRequest(newModel, prompt, suffix, extraContext, middle, sampling, extra, callerKey, promptTokens);
	}

	public CompletionRequest withCallerKey(String key) {
		return new CompletionRequest(model, prompt, suffix, extraContext, middle, sampling, extra, key, promptTokens);
	}

	/** Never shows the caller's key. */
	@Override
	public String toString() {
		return "CompletionRequest[model=" + model + ", prompt=" + (tokenized() ? promptTokens.size() + " tokens"
				: prompt.length() + " chars") + ", infill=" + infill()
				+ ", callerKey=" + (callerKey == null ? "none" : "***") + "]";
	}
}
