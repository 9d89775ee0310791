package ai.local.runtime.http;

/** Which error shape an endpoint speaks. */
enum Dialect {
	OPENAI, ANTHROPIC;

	/** The dialect of a request path: Anthropic's for {@code /v1/messages}, OpenAI's for the rest. */
	static Dialect of(String path) {
		return path != null && path.endsWith("/messages") ? ANTHROPIC : OPENAI;
	}
}
