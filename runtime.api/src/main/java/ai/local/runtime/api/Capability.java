package ai.local.runtime.api;

/** What a {@link ChatProvider} can do; shown in /v1/models and the console. */
public enum Capability {
	CHAT, STREAM, TOOLS, JSON_SCHEMA, EMBEDDINGS, VISION, RESPONSES_NATIVE, COMPLETIONS, RERANK
}
