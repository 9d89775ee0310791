package ai.local.runtime.http.codec;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.ToolLoopLimits;

/**
 * A decoded Ollama {@code /api/chat} or {@code /api/generate} body.
 *
 * @param request the chat request (for a raw or fill-in-the-middle generate, only its model)
 * @param completion a generate with {@code raw} or {@code suffix}: the text completion; null otherwise
 * @param stream Ollama's {@code stream}, true unless the body says false
 * @param keepAlive the body's {@code keep_alive} as text, or null
 * @param generate whether it came to {@code /api/generate} (answered with {@code response}, not {@code message})
 * @param toolLoop the server-side tool keys over their defaults (see {@link ChatCall}); null when none is given
 */
public record OllamaCall(ChatRequest request, CompletionRequest completion, boolean stream, String keepAlive,
		boolean generate, ToolLoopLimits toolLoop) {

	/** A chat without messages (or a generate without a prompt) only loads the model, or unloads it. */
	public boolean loadOnly() {
		return completion == null && request.messages().stream().allMatch(m -> ChatMessage.SYSTEM.equals(m.role()));
	}
}
