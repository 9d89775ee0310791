package ai.local.runtime.api;

/** Token counts of one completion or embedding call. */
public record Usage(int promptTokens, int completionTokens) {

	public static final Usage NONE = new Usage(0, 0);

	public int totalTokens() {
		return promptTokens + completionTokens;
	}

	public Usage plus(Usage other) {
		return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
	}
}
