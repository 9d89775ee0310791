package ai.local.runtime.api;

/**
 * How much a reasoning model should think, as every dialect's decoder leaves it in {@link ChatRequest#extra()}
 * under {@link #EFFORT}: OpenAI's {@code reasoning_effort} values, {@code none} for "do not think". Anthropic's
 * {@code thinking}, Ollama's {@code think} and the Responses API's {@code reasoning.effort} arrive there too;
 * each provider maps it to its backend's switch (template kwargs, Ollama's {@code think}, ...).
 *
 * @since 1.10
 */
public final class Reasoning {
	/** The key in {@link ChatRequest#extra()}. */
	public static final String EFFORT = "reasoning_effort";
	public static final String NONE = "none";

	private Reasoning() {
	}

	/** The request's effort: none, minimal, low, medium, high; null when the request did not say. */
	public static String effort(ChatRequest request) {
		return request.extra().get(EFFORT) instanceof String s ? s : null;
	}

	/** True or false when the request said whether to think; null when it did not. */
	public static Boolean enabled(ChatRequest request) {
		String effort = effort(request);
		return effort == null ? null : !NONE.equals(effort);
	}
}
