package ai.local.runtime.http.codec;

import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ToolLoopLimits;

/**
 * A decoded Anthropic {@code POST /v1/messages} body.
 *
 * @param useServerHistory the body's {@code use_server_history}; null when not given
 * @param toolLoop the server-side tool keys over their defaults (see {@link ChatCall}); null when none is given
 */
public record AnthropicCall(ChatRequest request, boolean stream, Boolean useServerHistory, ToolLoopLimits toolLoop) {
}
