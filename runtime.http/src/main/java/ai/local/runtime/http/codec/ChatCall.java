package ai.local.runtime.http.codec;

import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ToolLoopLimits;

/**
 * A decoded chat request plus how the caller wants the answer delivered. {@code request.model()} still holds
 * the id the client sent, prefix included; the router resolves it.
 *
 * @param useServerHistory the body's {@code use_server_history}; null when not given
 * @param toolLoop the server-side tool keys ({@code max_steps}, {@code max_tool_calls}, {@code planner},
 *        {@code trace}, {@code tool_timeout}) over their defaults; null when the body has none of them
 */
public record ChatCall(ChatRequest request, boolean stream, boolean includeUsage, Boolean useServerHistory,
		ToolLoopLimits toolLoop) {

	public String model() {
		return request.model();
	}
}
