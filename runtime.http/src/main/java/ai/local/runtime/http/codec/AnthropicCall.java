package ai.local.runtime.http.codec;

import ai.local.runtime.api.ChatRequest;

/** A decoded Anthropic {@code POST /v1/messages} body. */
public record AnthropicCall(ChatRequest request, boolean stream) {
}
