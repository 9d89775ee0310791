package ai.local.runtime.http;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.http.codec.Json;

/**
 * A prompt's tokens guessed from its characters (about four to a token in English text and code, as the
 * tokenizers of current models split them), for providers that cannot count: an upstream without a tokenizer.
 */
final class TokenEstimate {
	private static final int CHARS_PER_TOKEN = 4;
	/** The role markers and separators a chat template puts around each message. */
	private static final int PER_MESSAGE = 4;

	private TokenEstimate() {
	}

	static int of(ChatRequest request) {
		long chars = 0;
		int messages = 0;
		for (ChatMessage m : request.messages()) {
			messages++;
			chars += m.text().length();
			for (ToolCall c : m.toolCalls()) {
				chars += c.name().length() + (c.arguments() == null ? 0 : c.arguments().length());
			}
		}
		for (ToolDefinition t : request.tools()) {
			chars += t.name().length() + (t.description() == null ? 0 : t.description().length())
					+ (t.parameters() == null ? 0 : Json.string(Json.toNode(t.parameters())).length());
		}
		return (int) Math.min(Integer.MAX_VALUE, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + (long) PER_MESSAGE * messages);
	}
}
