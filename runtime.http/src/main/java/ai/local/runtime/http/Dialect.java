package ai.local.runtime.http;

/** Which error shape an endpoint speaks. */
enum Dialect {
	OPENAI, ANTHROPIC
}
