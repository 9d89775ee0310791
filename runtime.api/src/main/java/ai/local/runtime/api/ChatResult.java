package ai.local.runtime.api;

/** A whole completion: the assistant message, why it ended, and the token counts. */
public record ChatResult(ChatMessage message, FinishReason finishReason, Usage usage) {
}
