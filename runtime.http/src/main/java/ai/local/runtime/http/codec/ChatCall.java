package ai.local.runtime.http.codec;

import ai.local.runtime.api.ChatRequest;

/**
 * A decoded chat request plus how the caller wants the answer delivered. {@code request.model()} still holds
 * the id the client sent, prefix included; the router resolves it.
 *
 * @param useServerHistory the body's {@code use_server_history}; null when not given
 */
public record ChatCall(ChatRequest request, boolean stream, boolean includeUsage, Boolean useServerHistory) {

	public String model() {
		return request.model();
	}
}
