package ai.local.runtime.http.codec;

import static ai.local.runtime.http.codec.Fields.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.ToolCall;

/** OpenAI chat {@code messages} → {@link ChatMessage}s, with a 400 naming the first wrong field. */
final class MessageDecoder {

	private static final Set<String> ROLES = Set.of(ChatMessage.SYSTEM, ChatMessage.DEVELOPER, ChatMessage.USER,
			ChatMessage.ASSISTANT, ChatMessage.TOOL);

	private MessageDecoder() {
	}

	static List<ChatMessage> messages(JsonNode body) {
		JsonNode arr = Fields.optArray(body, "messages", "");
		if (arr == null) {
			throw ApiException.invalidRequest("Missing required parameter: 'messages'", "messages");
		}
		if (arr.isEmpty()) {
			throw ApiException.invalidRequest("'messages' must contain at least one message", "messages");
		}
		List<ChatMessage> out = new ArrayList<>(arr.size());
		for (int i = 0; i < arr.size(); i++) {
			out.add(message(arr.get(i), path("messages", i)));
		}
		return out;
	}

	static ChatMessage message(JsonNode m, String at) {
		if (!m.isObject()) {
			throw Fields.wrongType(at, "", "an object", m);
		}
		String role = Fields.requiredString(m, "role", at);
		if ("function".equals(role)) {
			role = ChatMessage.TOOL; // the deprecated function role is a tool result named by "name"
		}
		if (!ROLES.contains(role)) {
			throw ApiException.invalidRequest("Invalid value for '" + path(at, "role") + "': '" + role
					+ "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.", path(at, "role"));
		}
		List<ContentPart> content = content(m.get("content"), path(at, "content"));
		List<ToolCall> calls = ChatMessage.ASSISTANT.equals(role) ? toolCalls(m, at) : List.of();
		String toolCallId = Fields.optString(m, "tool_call_id", at);
		String name = Fields.optString(m, "name", at);
		if (ChatMessage.TOOL.equals(role) && toolCallId == null && name == null) {
			throw ApiException.invalidRequest("Missing required parameter: '" + path(at, "tool_call_id") + "'",
					path(at, "tool_call_id"));
		}
		if (content.isEmpty() && calls.isEmpty() && !ChatMessage.ASSISTANT.equals(role)
				&& !ChatMessage.TOOL.equals(role)) {
			throw ApiException.invalidRequest("Missing required parameter: '" + path(at, "content") + "'",
					path(at, "content"));
		}
		// the reasoning an assistant turn came with, as vLLM and llama-server send it back (and "reasoning")
		String reasoning = null;
		if (ChatMessage.ASSISTANT.equals(role)) {
			JsonNode r = m.hasNonNull("reasoning_content") ? m.get("reasoning_content") : m.get("reasoning");
			reasoning = r != null && r.isTextual() ? r.textValue() : null;
		}
		return new ChatMessage(role, content, name, calls, toolCallId, reasoning);
	}

	/** A string, null, or an array of content parts. */
	static List<ContentPart> content(JsonNode c, String at) {
		if (c == null || c.isNull()) {
			return List.of();
		}
		if (c.isTextual()) {
			return List.of(ContentPart.text(c.textValue()));
		}
		if (!c.isArray()) {
			throw ApiException.invalidRequest("Invalid type for '" + at + "': expected a string or an array of "
					+ "content parts, but got " + Fields.describe(c) + ".", at);
		}
		List<ContentPart> parts = new ArrayList<>(c.size());
		for (int i = 0; i < c.size(); i++) {
			parts.add(part(c.get(i), path(at, i)));
		}
		return parts;
	}

	/** The text parts joined: where a format allows blocks but the message carries plain text. */
	static String text(List<ContentPart> parts) {
		StringBuilder sb = new StringBuilder();
		for (ContentPart p : parts) {
			if (p.text() != null) {
				sb.append(p.text());
			}
		}
		return sb.toString();
	}

	private static ContentPart part(JsonNode p, String at) {
		if (p.isTextual()) {
			return ContentPart.text(p.textValue());
		}
		if (!p.isObject()) {
			throw Fields.wrongType(at, "", "an object", p);
		}
		String type = Fields.requiredString(p, "type", at);
		switch (type) {
		case "text", "input_text", "output_text":
			return ContentPart.text(textOf(p, at));
		case "image_url", "input_image":
			JsonNode img = p.get("image_url");
			if (img != null && img.isObject()) {
				return ContentPart.image(Fields.requiredString(img, "url", path(at, "image_url")),
						Fields.optString(img, "detail", path(at, "image_url")));
			}
			return ContentPart.image(Fields.requiredString(p, "image_url", at), Fields.optString(p, "detail", at));
		case "input_audio":
			JsonNode audio = Fields.optObject(p, "input_audio", at);
			if (audio == null) {
				throw ApiException.invalidRequest("Missing required parameter: '" + path(at, "input_audio") + "'",
						path(at, "input_audio"));
			}
			return new ContentPart(ContentPart.INPUT_AUDIO, null,
					Fields.requiredString(audio, "data", path(at, "input_audio")),
					Fields.optString(audio, "format", path(at, "input_audio")));
		default:
			throw ApiException.invalidRequest("Invalid value for '" + path(at, "type") + "': '" + type
					+ "'. Supported values are: 'text', 'image_url' and 'input_audio'.", path(at, "type"));
		}
	}

	private static String textOf(JsonNode p, String at) {
		String text = Fields.optString(p, "text", at);
		if (text == null) {
			throw ApiException.invalidRequest("Missing required parameter: '" + path(at, "text") + "'",
					path(at, "text"));
		}
		return text;
	}

	private static List<ToolCall> toolCalls(JsonNode m, String at) {
		JsonNode arr = Fields.optArray(m, "tool_calls", at);
		List<ToolCall> calls = new ArrayList<>();
		if (arr != null) {
			for (int i = 0; i < arr.size(); i++) {
				String p = path(path(at, "tool_calls"), i);
				JsonNode c = arr.get(i);
				if (!c.isObject()) {
					throw Fields.wrongType(p, "", "an object", c);
				}
				JsonNode fn = Fields.optObject(c, "function", p);
				if (fn == null) {
					throw ApiException.invalidRequest("Missing required parameter: '" + path(p, "function") + "'",
							path(p, "function"));
				}
				calls.add(new ToolCall(Fields.optString(c, "id", p), Fields.requiredString(fn, "name", path(p, "function")),
						arguments(fn.get("arguments"))));
			}
		}
		JsonNode legacy = Fields.optObject(m, "function_call", at);
		if (legacy != null && calls.isEmpty()) {
			calls.add(new ToolCall(null, Fields.requiredString(legacy, "name", path(at, "function_call")),
					arguments(legacy.get("arguments"))));
		}
		return calls;
	}

	/** Arguments are a JSON string on the wire; some clients send the object itself. */
	static String arguments(JsonNode a) {
		if (a == null || a.isNull()) {
			return "{}";
		}
		return a.isTextual() ? a.textValue() : Json.string(a);
	}
}
