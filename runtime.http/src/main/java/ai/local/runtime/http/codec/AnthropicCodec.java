package ai.local.runtime.http.codec;

import static ai.local.runtime.http.codec.Fields.path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.Usage;

/** The Anthropic Messages API: content blocks → chat messages, chat results → message objects. */
public final class AnthropicCodec {

	/**
	 * The signature of a thinking block. Anthropic signs its thinking so that it can check it when it comes back;
	 * thinking that comes back here is dropped, so there is nothing to check and the signature says only where it
	 * came from.
	 */
	public static final String SIGNATURE = "local-ai-runtime";

	private AnthropicCodec() {
	}

	/** {@code {"input_tokens": n}}, count_tokens' answer. */
	public static ObjectNode tokenCount(int tokens) {
		return Json.object().put("input_tokens", tokens);
	}

	public static AnthropicCall decode(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = Fields.requiredString(b, "model", "");
		List<ChatMessage> messages = new ArrayList<>();
		JsonNode system = b.get("system");
		if (system != null && !system.isNull()) {
			String text = system.isTextual() ? system.textValue()
					: MessageDecoder.text(blocksAsParts(system, "system"));
			messages.add(ChatMessage.system(text));
		}
		JsonNode arr = Fields.optArray(b, "messages", "");
		if (arr == null || arr.isEmpty()) {
			throw ApiException.invalidRequest("Missing required parameter: 'messages'", "messages");
		}
		for (int i = 0; i < arr.size(); i++) {
			message(arr.get(i), path("messages", i), messages);
		}
		Sampling sampling = new Sampling(Fields.optNumber(b, "temperature", "", 0, 1), Fields.optNumber(b, "top_p", "", 0, 1),
				null, Fields.optInt(b, "top_k", "", 0, Integer.MAX_VALUE),
				Fields.optInt(b, "max_tokens", "", 1, Integer.MAX_VALUE), null, Fields.optStrings(b, "stop_sequences", ""),
				null, null, null);
		List<ToolDefinition> tools = tools(b);
		JsonNode choice = Fields.optObject(b, "tool_choice", "");
		Boolean parallel = choice != null && Boolean.TRUE.equals(Fields.optBoolean(choice, "disable_parallel_tool_use",
				"tool_choice")) ? Boolean.FALSE : null;
		Map<String, Object> extra = new HashMap<>();
		String effort = thinking(b);
		if (effort != null) {
			extra.put(Reasoning.EFFORT, effort);
		}
		ChatRequest request = new ChatRequest(model, messages, tools, ChatRequestDecoder.offered(toolChoice(b), tools),
				parallel, null, sampling, Fields.optString(b, "session_id", ""), null, extra);
		return new AnthropicCall(request, Boolean.TRUE.equals(Fields.optBoolean(b, "stream", "")),
				Fields.optBoolean(b, "use_server_history", ""), ChatRequestDecoder.toolLoop(b));
	}

	/**
	 * {@code thinking: {type: enabled, budget_tokens}} as a reasoning effort by its budget, {@code disabled} as
	 * none; null when the request does not say.
	 */
	private static String thinking(JsonNode b) {
		JsonNode t = Fields.optObject(b, "thinking", "");
		if (t == null) {
			return null;
		}
		String type = Fields.requiredString(t, "type", "thinking");
		switch (type) {
		case "disabled":
			return Reasoning.NONE;
		case "enabled", "adaptive":
			Integer budget = Fields.optInt(t, "budget_tokens", "thinking", 0, Integer.MAX_VALUE);
			return budget == null ? "medium" : budget < 4096 ? "low" : budget < 16384 ? "medium" : "high";
		default:
			throw ApiException.invalidRequest("Invalid value for 'thinking.type': '" + type
					+ "'. Supported values are: 'enabled', 'adaptive' and 'disabled'.", "thinking.type");
		}
	}

	private static void message(JsonNode m, String at, List<ChatMessage> out) {
		if (!m.isObject()) {
			throw Fields.wrongType(at, "", "an object", m);
		}
		String role = Fields.requiredString(m, "role", at);
		if (!role.equals("user") && !role.equals("assistant")) {
			throw ApiException.invalidRequest("Invalid value for '" + path(at, "role") + "': '" + role
					+ "'. Supported values are: 'user' and 'assistant'.", path(at, "role"));
		}
		JsonNode content = m.get("content");
		if (content != null && content.isTextual()) {
			out.add(new ChatMessage(role, List.of(ContentPart.text(content.textValue())), null, null, null));
			return;
		}
		if (content == null || !content.isArray()) {
			throw Fields.wrongType(at, "content", "a string or an array of content blocks", content);
		}
		List<ContentPart> parts = new ArrayList<>();
		List<ToolCall> calls = new ArrayList<>();
		for (int i = 0; i < content.size(); i++) {
			String bat = path(path(at, "content"), i);
			JsonNode block = content.get(i);
			String type = block.isObject() ? Fields.requiredString(block, "type", bat) : "";
			switch (type) {
			case "tool_use" -> {
				JsonNode input = block.get("input");
				calls.add(new ToolCall(Fields.requiredString(block, "id", bat), Fields.requiredString(block, "name", bat),
						input == null || input.isNull() ? "{}" : Json.string(input)));
			}
			case "tool_result" -> {
				JsonNode c = block.get("content");
				String text = c == null || c.isNull() ? "" : c.isTextual() ? c.textValue()
						: MessageDecoder.text(blocksAsParts(c, path(bat, "content")));
				out.add(ChatMessage.tool(Fields.requiredString(block, "tool_use_id", bat), text));
			}
			case "thinking", "redacted_thinking" -> {
				// earlier reasoning is not replayed to the model
			}
			default -> parts.add(part(block, bat));
			}
		}
		if (!parts.isEmpty() || !calls.isEmpty()) {
			out.add(new ChatMessage(role, parts, null, calls, null));
		}
	}

	private static List<ContentPart> blocksAsParts(JsonNode blocks, String at) {
		if (!blocks.isArray()) {
			throw Fields.wrongType(at, "", "a string or an array of content blocks", blocks);
		}
		List<ContentPart> parts = new ArrayList<>();
		for (int i = 0; i < blocks.size(); i++) {
			parts.add(part(blocks.get(i), path(at, i)));
		}
		return parts;
	}

	private static ContentPart part(JsonNode block, String at) {
		if (!block.isObject()) {
			throw Fields.wrongType(at, "", "an object", block);
		}
		String type = Fields.requiredString(block, "type", at);
		if (type.equals("text")) {
			return ContentPart.text(Fields.requiredString(block, "text", at));
		}
		if (type.equals("image")) {
			JsonNode src = Fields.optObject(block, "source", at);
			if (src == null) {
				throw ApiException.invalidRequest("Missing required parameter: '" + path(at, "source") + "'", path(at, "source"));
			}
			String url = "url".equals(Fields.optString(src, "type", path(at, "source")))
					? Fields.requiredString(src, "url", path(at, "source"))
					: "data:" + Fields.requiredString(src, "media_type", path(at, "source")) + ";base64,"
							+ Fields.requiredString(src, "data", path(at, "source"));
			return ContentPart.image(url, null);
		}
		throw ApiException.invalidRequest("Invalid value for '" + path(at, "type") + "': '" + type
				+ "'. Supported values are: 'text', 'image', 'tool_use' and 'tool_result'.", path(at, "type"));
	}

	private static List<ToolDefinition> tools(JsonNode b) {
		List<ToolDefinition> out = new ArrayList<>();
		JsonNode tools = Fields.optArray(b, "tools", "");
		if (tools != null) {
			for (int i = 0; i < tools.size(); i++) {
				String at = path("tools", i);
				JsonNode t = tools.get(i);
				if (!t.isObject()) {
					throw Fields.wrongType(at, "", "an object", t);
				}
				String type = Fields.optString(t, "type", at);
				if (type != null && !type.equals("custom")) {
					continue; // Anthropic's hosted tools (web_search_..., bash_..., text_editor_...) do not run here
				}
				JsonNode schema = Fields.optObject(t, "input_schema", at);
				out.add(new ToolDefinition(Fields.requiredString(t, "name", at), Fields.optString(t, "description", at),
						schema == null ? null : Json.toMap(schema), false));
			}
		}
		return out;
	}

	private static ToolChoice toolChoice(JsonNode b) {
		JsonNode c = Fields.optObject(b, "tool_choice", "");
		if (c == null) {
			return null;
		}
		String type = Fields.requiredString(c, "type", "tool_choice");
		return switch (type) {
		case "auto" -> ToolChoice.AUTO;
		case "any" -> ToolChoice.REQUIRED;
		case "none" -> ToolChoice.NONE;
		case "tool" -> ToolChoice.function(Fields.requiredString(c, "name", "tool_choice"));
		default -> throw ApiException.invalidRequest("Invalid value for 'tool_choice.type': '" + type
				+ "'. Supported values are: 'auto', 'any', 'tool' and 'none'.", "tool_choice.type");
		};
	}

	public static ObjectNode message(String id, String model, ChatResult result) {
		ObjectNode o = start(id, model, Usage.NONE);
		ArrayNode content = o.putArray("content");
		if (result.reasoning() != null) {
			content.addObject().put("type", "thinking").put("thinking", result.reasoning()).put("signature", SIGNATURE);
		}
		String text = result.message().text();
		if (!text.isEmpty()) {
			content.addObject().put("type", "text").put("text", text);
		}
		for (ToolCall c : result.message().toolCalls()) {
			ObjectNode block = content.addObject();
			block.put("type", "tool_use");
			block.put("id", c.id());
			block.put("name", c.name());
			JsonNode input = Json.argumentsObject(c.arguments());
			block.set("input", input == null ? Json.object() : input);
		}
		o.put("stop_reason", stopReason(result.finishReason()));
		o.set("usage", usage(result.usage()));
		return o;
	}

	/** The message object as message_start carries it: no content, no stop reason yet. */
	/** message_start's message; {@code prompt}: the input's usage when known before the answer, else none. */
	public static ObjectNode start(String id, String model, Usage prompt) {
		ObjectNode o = Json.object();
		o.put("id", id);
		o.put("type", "message");
		o.put("role", "assistant");
		o.put("model", model);
		o.putArray("content");
		o.putNull("stop_reason");
		o.putNull("stop_sequence");
		o.set("usage", usage(prompt));
		return o;
	}

	public static ObjectNode usage(Usage u) {
		ObjectNode o = Json.object();
		// Anthropic's input_tokens leaves out what came from the cache: input + cache_read is the prompt
		o.put("input_tokens", u.promptTokens() - u.cachedTokens());
		o.put("cache_creation_input_tokens", 0);
		o.put("cache_read_input_tokens", u.cachedTokens());
		o.put("output_tokens", u.completionTokens());
		return o;
	}

	public static String stopReason(FinishReason r) {
		return switch (r) {
		case LENGTH -> "max_tokens";
		case TOOL_CALLS -> "tool_use";
		case CONTENT_FILTER -> "refusal";
		default -> "end_turn";
		};
	}
}
