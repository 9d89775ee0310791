package ai.local.runtime.http.codec;

import java.util.List;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;

/**
 * A decoded {@code POST /v1/responses} body. {@code request} holds the new input items only; the servlet
 * adds the instructions and the stored history of {@code previousResponseId} in front of them.
 *
 * @param useServerHistory the body's {@code use_server_history} (for a {@code session_id}); null when not given
 */
public record ResponsesCall(ChatRequest request, String instructions,
		String previousResponseId, boolean stream, boolean store, Boolean useServerHistory) {

	/** The new input items, as messages. */
	public List<ChatMessage> input() {
		return request.messages();
	}
}
