package ai.local.runtime.provider.ollama;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.provider.openai.client.OpenAiWire;

/**
 * OpenAI-shaped requests as Ollama /api/chat bodies: sampling as {@code options}, images as base64, assistant
 * tool calls with object arguments, tool results with {@code tool_name}.
 */
final class OllamaWire {
	/** Request fields that are Ollama options rather than top-level fields. */
	private static final Set<String> OPTION_NAMES = Set.of("num_ctx", "num_keep", "num_batch", "num_gpu",
			"num_thread", "repeat_last_n", "mirostat", "mirostat_eta", "mirostat_tau", "tfs_z", "typical_p",
			"penalize_newline", "numa", "use_mmap", "main_gpu");

	private OllamaWire() {
	}

	static ObjectNode chatBody(ChatRequest r, boolean stream, OllamaDefaults defaults) {
		ObjectNode b = OpenAiWire.MAPPER.createObjectNode();
		b.put("model", r.model());
		ArrayNode messages = b.putArray("messages");
		Map<String, String> toolNames = new HashMap<>();
		for (int i = 0; i < r.messages().size(); i++) {
			messages.add(message(r.messages().get(i), i, toolNames));
		}
		List<ToolDefinition> tools = tools(r.tools(), r.toolChoice());
		if (!tools.isEmpty()) {
			ArrayNode t = b.putArray("tools");
			tools.forEach(d -> t.add(OpenAiWire.tool(d)));
		}
		b.put("stream", stream);
		ObjectNode options = options(r.sampling());
		if (defaults.numCtx() != null) {
			options.put("num_ctx", defaults.numCtx());
		}
		if (defaults.keepAlive() != null) {
			b.put("keep_alive", defaults.keepAlive());
		}
		if (r.responseFormat() != null && r.responseFormat().type() == ResponseFormat.Type.JSON_OBJECT) {
			b.put("format", "json");
		} else if (r.responseFormat() != null && r.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
			b.set("format", OpenAiWire.MAPPER.valueToTree(r.responseFormat().schema()));
		}
		for (Map.Entry<String, Object> e : r.extra().entrySet()) {
			JsonNode value = OpenAiWire.MAPPER.valueToTree(e.getValue());
			if (e.getKey().equals(Reasoning.EFFORT)) {
				// Ollama's switch: think true / false; gpt-oss takes the effort itself
				String effort = value.asText();
				if (r.model().startsWith("gpt-oss") && List.of("low", "medium", "high").contains(effort)) {
					b.put("think", effort);
				} else {
					b.put("think", !Reasoning.NONE.equals(effort));
				}
			} else if (e.getKey().equals("options") && value.isObject()) {
				options.setAll((ObjectNode) value);
			} else if (OPTION_NAMES.contains(e.getKey())) {
				options.set(e.getKey(), value);
			} else {
				b.set(e.getKey(), value);
			}
		}
		if (!options.isEmpty()) {
			b.set("options", options);
		}
		return b;
	}

	/** Ollama cannot be told to call a tool: "none" sends no tools, a named function sends only that one. */
	private static List<ToolDefinition> tools(List<ToolDefinition> tools, ToolChoice choice) {
		if (choice == null || choice.mode() == ToolChoice.Mode.AUTO || choice.mode() == ToolChoice.Mode.REQUIRED) {
			return tools;
		}
		if (choice.mode() == ToolChoice.Mode.NONE) {
			return List.of();
		}
		return tools.stream().filter(t -> t.name().equals(choice.function())).toList();
	}

	private static ObjectNode options(Sampling s) {
		ObjectNode o = OpenAiWire.MAPPER.createObjectNode();
		OpenAiWire.sampling(o, s, "num_predict", "repeat_penalty");
		return o;
	}

	private static ObjectNode message(ChatMessage m, int position, Map<String, String> toolNames) {
		ObjectNode o = OpenAiWire.MAPPER.createObjectNode();
		o.put("role", ChatMessage.DEVELOPER.equals(m.role()) ? ChatMessage.SYSTEM : m.role());
		o.put("content", m.text());
		ArrayNode images = null;
		for (ContentPart p : m.content()) {
			if (ContentPart.IMAGE_URL.equals(p.type())) {
				if (images == null) {
					images = o.putArray("images");
				}
				images.add(base64Image(p.url(), position));
			} else if (!ContentPart.TEXT.equals(p.type())) {
				throw ApiException.invalidRequest("Ollama does not take '" + p.type() + "' content",
						"messages[" + position + "].content");
			}
		}
		if (!m.toolCalls().isEmpty()) {
			ArrayNode calls = o.putArray("tool_calls");
			for (ToolCall c : m.toolCalls()) {
				toolNames.put(c.id(), c.name());
				calls.addObject().putObject("function").put("name", c.name()).set("arguments",
						argumentsObject(c.arguments(), position));
			}
		}
		if (ChatMessage.TOOL.equals(m.role())) {
			String name = m.name() != null ? m.name() : toolNames.get(m.toolCallId());
			if (name != null) {
				o.put("tool_name", name);
			}
		}
		return o;
	}

	/** Ollama takes images as bare base64; only data: URLs can be turned into that. */
	private static String base64Image(String url, int position) {
		if (url != null && url.startsWith("data:")) {
			int comma = url.indexOf(',');
			if (comma > 0 && url.substring(0, comma).endsWith(";base64")) {
				return url.substring(comma + 1);
			}
		}
		throw ApiException.invalidRequest("Ollama takes images as base64 data: URLs, not '"
				+ (url == null ? "" : url.length() > 60 ? url.substring(0, 60) + "..." : url) + "'",
				"messages[" + position + "].content");
	}

	private static JsonNode argumentsObject(String arguments, int position) {
		try {
			JsonNode n = OpenAiWire.MAPPER.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
			if (n != null && n.isObject()) {
				return n;
			}
		} catch (IOException e) {
			// reported below
		}
		throw ApiException.invalidRequest("Tool call arguments must be a JSON object for Ollama",
				"messages[" + position + "].tool_calls");
	}
}
