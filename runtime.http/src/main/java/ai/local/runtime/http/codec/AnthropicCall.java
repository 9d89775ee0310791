package ai.local.runtime.http.codec;

import ai.local.runtime.api.ChatRequest;

/**
 * A decoded Anthropic {@code POST /v1/messages} body.
 *
 * @param useServerHistory the body's {@code use_server_history}; null when not given
 */
public record AnthropicCall(ChatRequest request, boolean stream, Boolean useServerHistory) {
}
