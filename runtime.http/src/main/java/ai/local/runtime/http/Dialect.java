package ai.local.runtime.http;

/** Which error shape an endpoint speaks. */
enum Dialect {
	OPENAI, ANTHROPIC, OLLAMA;

	/**
	 * The dialect of a request path: Anthropic's for {@code /v1/messages}, Ollama's for {@code /api/...} (but
	 * {@code /api/v1/...}), OpenAI's for the rest.
	 */
	static Dialect of(String path) {
		if (path == null) {
			return OPENAI;
		}
		if (path.endsWith("/messages") || path.endsWith("/messages/count_tokens")) {
			return ANTHROPIC;
		}
		return path.startsWith("/api/") && !path.startsWith("/api/v1/") ? OLLAMA : OPENAI;
	}
}
