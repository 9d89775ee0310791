package ai.local.runtime.http.codec;

import static ai.local.runtime.http.codec.Fields.path;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolDefinition;

/**
 * Ollama's {@code POST /api/chat} and {@code POST /api/generate} bodies → {@link OllamaCall}: messages with
 * base64 {@code images}, tool calls whose arguments are objects and tool results named by {@code tool_name}
 * (Ollama has no call ids, so they are made up here and matched by name), {@code options}, {@code format},
 * {@code think}, {@code keep_alive}. A generate request with {@code raw} or {@code suffix} is a text completion;
 * without, its prompt is a user turn under the chat template.
 */
public final class OllamaDecoder {

	private OllamaDecoder() {
	}

	public static OllamaCall chat(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = model(b);
		List<ChatMessage> messages = messages(Fields.optArray(b, "messages", ""));
		List<ToolDefinition> tools = ChatRequestDecoder.tools(b);
		ChatRequest request = new ChatRequest(model, messages, tools, null, null, format(b), sampling(b), null, null,
				extra(b));
		return new OllamaCall(request, null, stream(b), keepAlive(b), false, ChatRequestDecoder.toolLoop(b));
	}

	public static OllamaCall generate(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = model(b);
		String prompt = Fields.optString(b, "prompt", "");
		String suffix = Fields.optString(b, "suffix", "");
		boolean raw = Boolean.TRUE.equals(Fields.optBoolean(b, "raw", ""));
		List<ContentPart> images = images(b, "");
		if ((raw || suffix != null) && !images.isEmpty()) {
			throw ApiException.invalidRequest("images need the chat template: they cannot go with raw or suffix",
					"images");
		}
		if (raw || suffix != null) {
			CompletionRequest completion = new CompletionRequest(model, prompt, suffix, List.of(), null, sampling(b), extra(b),
					null);
			return new OllamaCall(ChatRequest.of(model, List.of()), completion, stream(b), keepAlive(b), true, null);
		}
		List<ChatMessage> messages = new ArrayList<>();
		String system = Fields.optString(b, "system", "");
		if (system != null && !system.isEmpty()) {
			messages.add(ChatMessage.system(system));
		}
		if (prompt != null && !prompt.isEmpty() || !images.isEmpty()) {
			List<ContentPart> parts = new ArrayList<>(images);
			parts.add(ContentPart.text(prompt == null ? "" : prompt));
			messages.add(new ChatMessage(ChatMessage.USER, parts, null, null, null));
		}
		ChatRequest request = new ChatRequest(model, messages, List.of(), null, null, format(b), sampling(b), null, null,
				extra(b));
		return new OllamaCall(request, null, stream(b), keepAlive(b), true, null);
	}

	/** {@code model}, or the older {@code name}. */
	public static String model(JsonNode b) {
		String model = Fields.optString(b, "model", "");
		if (model == null || model.isBlank()) {
			model = Fields.optString(b, "name", "");
		}
		if (model == null || model.isBlank()) {
			throw ApiException.invalidRequest("model is required", "model");
		}
		return model;
	}

	private static boolean stream(JsonNode b) {
		return !Boolean.FALSE.equals(Fields.optBoolean(b, "stream", "")); // Ollama streams unless told not to
	}

	private static String keepAlive(JsonNode b) {
		JsonNode k = b.get("keep_alive");
		return k == null || k.isNull() ? null : k.asText();
	}

	private static List<ChatMessage> messages(JsonNode arr) {
		List<ChatMessage> out = new ArrayList<>();
		if (arr == null) {
			return out;
		}
		// Ollama's calls have no ids: each gets one here, and a tool result takes the id of the oldest unanswered
		// call of its tool_name (or the oldest unanswered call when it names none)
		List<ToolCall> unanswered = new ArrayList<>();
		for (int i = 0; i < arr.size(); i++) {
			String at = path("messages", i);
			JsonNode m = arr.get(i);
			if (!m.isObject()) {
				throw Fields.wrongType(at, "", "an object", m);
			}
			String role = Fields.requiredString(m, "role", at);
			String content = Fields.optString(m, "content", at);
			List<ContentPart> parts = new ArrayList<>(images(m, at));
			if (content != null && (!content.isEmpty() || parts.isEmpty())) {
				parts.add(ContentPart.text(content));
			}
			switch (role) {
			case ChatMessage.SYSTEM, ChatMessage.USER -> out.add(new ChatMessage(role, parts, null, null, null));
			case ChatMessage.ASSISTANT -> {
				List<ToolCall> calls = calls(m, at, i);
				unanswered.addAll(calls);
				String thinking = Fields.optString(m, "thinking", at);
				out.add(new ChatMessage(role, content == null || content.isEmpty() ? List.of() : parts, null, calls, null,
						thinking));
			}
			case ChatMessage.TOOL -> {
				String name = Fields.optString(m, "tool_name", at);
				if (name == null) {
					name = Fields.optString(m, "name", at);
				}
				ToolCall answered = answered(unanswered, name);
				String id = answered != null ? answered.id() : "call_" + i;
				out.add(ChatMessage.tool(id, content == null ? "" : content));
			}
			default -> throw ApiException.invalidRequest("Invalid value for '" + path(at, "role") + "': '" + role
					+ "'. Supported values are: 'system', 'user', 'assistant' and 'tool'.", path(at, "role"));
			}
		}
		return out;
	}

	private static ToolCall answered(List<ToolCall> unanswered, String name) {
		for (int i = 0; i < unanswered.size(); i++) {
			if (name == null || unanswered.get(i).name().equals(name)) {
				return unanswered.remove(i);
			}
		}
		return null;
	}

	private static List<ToolCall> calls(JsonNode m, String at, int message) {
		JsonNode arr = Fields.optArray(m, "tool_calls", at);
		List<ToolCall> calls = new ArrayList<>();
		if (arr == null) {
			return calls;
		}
		for (int j = 0; j < arr.size(); j++) {
			String p = path(path(at, "tool_calls"), j);
			JsonNode fn = arr.get(j).isObject() ? Fields.optObject(arr.get(j), "function", p) : null;
			if (fn == null) {
				throw ApiException.invalidRequest("Missing required parameter: '" + path(p, "function") + "'",
						path(p, "function"));
			}
			String id = Fields.optString(arr.get(j), "id", p);
			calls.add(new ToolCall(id != null ? id : "call_" + message + "_" + j,
					Fields.requiredString(fn, "name", path(p, "function")), MessageDecoder.arguments(fn.get("arguments"))));
		}
		return calls;
	}

	/** Ollama's images are bare base64; the type comes from the bytes' signature. */
	private static List<ContentPart> images(JsonNode m, String at) {
		JsonNode arr = Fields.optArray(m, "images", at);
		List<ContentPart> parts = new ArrayList<>();
		if (arr == null) {
			return parts;
		}
		for (int i = 0; i < arr.size(); i++) {
			JsonNode img = arr.get(i);
			if (!img.isTextual()) {
				throw Fields.wrongType(path(at, "images"), String.valueOf(i), "a base64 string", img);
			}
			String data = img.textValue().strip();
			parts.add(ContentPart.image(data.startsWith("data:") ? data : "data:" + mediaType(data, path(path(at, "images"), i))
					+ ";base64," + data.replaceAll("\\s", ""), null));
		}
		return parts;
	}

	private static String mediaType(String base64, String at) {
		byte[] head;
		try {
			head = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
		} catch (IllegalArgumentException e) {
			throw ApiException.invalidRequest("'" + at + "' is not base64: " + e.getMessage(), at);
		}
		if (head.length >= 4 && head[0] == (byte) 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
			return "image/png";
		}
		if (head.length >= 3 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F') {
			return "image/gif";
		}
		if (head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
				&& head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
			return "image/webp";
		}
		return "image/jpeg";
	}

	/** {@code "json"}, a JSON schema object, or nothing. */
	private static ResponseFormat format(JsonNode b) {
		JsonNode f = b.get("format");
		if (f == null || f.isNull() || f.isTextual() && f.textValue().isEmpty()) {
			return null;
		}
		if (f.isTextual() && f.textValue().equals("json")) {
			return ResponseFormat.JSON_OBJECT;
		}
		if (f.isObject()) {
			return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "format", Json.toMap(f), true);
		}
		throw ApiException.invalidRequest("Invalid value for 'format': expected \"json\" or a JSON schema object, got "
				+ Fields.describe(f), "format");
	}

	/**
	 * Ollama's {@code options}. {@code num_predict} below 0 means "until the model stops" (-1) or "fill the context"
	 * (-2): both leave the limit to the provider.
	 */
	private static Sampling sampling(JsonNode b) {
		JsonNode o = Fields.optObject(b, "options", "");
		if (o == null) {
			return Sampling.DEFAULTS;
		}
		Integer predict = Fields.optInt(o, "num_predict", "options", -2, Integer.MAX_VALUE);
		if (predict != null && predict == 0) {
			throw ApiException.invalidRequest("options.num_predict must not be 0", "options.num_predict");
		}
		return new Sampling(Fields.optNumber(o, "temperature", "options", 0, 2), Fields.optNumber(o, "top_p", "options", 0, 1),
				Fields.optNumber(o, "min_p", "options", 0, 1), Fields.optInt(o, "top_k", "options", 0, Integer.MAX_VALUE),
				predict == null || predict < 0 ? null : predict, Fields.optLong(o, "seed", "options"),
				Fields.optStrings(o, "stop", "options"), Fields.optNumber(o, "presence_penalty", "options", -2, 2),
				Fields.optNumber(o, "frequency_penalty", "options", -2, 2),
				Fields.optNumber(o, "repeat_penalty", "options", 0, 10));
	}

	/** {@code think} (true, false, or gpt-oss's "low" / "medium" / "high") as the one reasoning effort; keep_alive. */
	private static Map<String, Object> extra(JsonNode b) {
		Map<String, Object> extra = new HashMap<>();
		JsonNode think = b.get("think");
		if (think != null && !think.isNull()) {
			if (think.isBoolean()) {
				extra.put(Reasoning.EFFORT, think.booleanValue() ? "medium" : Reasoning.NONE);
			} else if (think.isTextual() && List.of("low", "medium", "high").contains(think.textValue())) {
				extra.put(Reasoning.EFFORT, think.textValue());
			} else {
				throw ApiException.invalidRequest("Invalid value for 'think': expected true, false, \"low\", \"medium\" or "
						+ "\"high\", got " + Fields.describe(think), "think");
			}
		}
		JsonNode keep = b.get("keep_alive");
		if (keep != null && !keep.isNull()) {
			extra.put("keep_alive", keep.isNumber() ? keep.numberValue() : keep.asText());
		}
		return extra;
	}
}
