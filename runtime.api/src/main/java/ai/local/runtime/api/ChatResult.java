package ai.local.runtime.api;

import java.util.Map;

/**
 * A whole completion: the assistant message, why it ended, and the token counts. {@code notes} are facts about
 * how it was produced that the client should see (sent as {@code x-runtime-<name>} response headers), e.g.
 * {@code context-trimmed} when old turns had to be dropped to fit the context.
 */
public record ChatResult(ChatMessage message, FinishReason finishReason, Usage usage, Map<String, String> notes) {

	public ChatResult {
		notes = notes == null ? Map.of() : Map.copyOf(notes);
	}

	public ChatResult(ChatMessage message, FinishReason finishReason, Usage usage) {
		this(message, finishReason, usage, Map.of());
	}
}
