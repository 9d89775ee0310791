package ai.local.runtime.http.codec;

import static ai.local.runtime.http.codec.Fields.path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.Usage;

/** The OpenAI Responses API: request items → chat messages, chat results → response objects and items. */
public final class ResponsesCodec {

	private ResponsesCodec() {
	}

	/** The one argument a custom tool's call carries: its free text. */
	public static final String CUSTOM_INPUT = "input";
	private static final Map<String, Object> CUSTOM_SCHEMA = Map.of("type", "object", "properties",
			Map.of(CUSTOM_INPUT, Map.of("type", "string", "description", "the tool's input, as free text")), "required",
			List.of(CUSTOM_INPUT));

	public static ResponsesCall decode(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = Fields.requiredString(b, "model", "");
		List<ChatMessage> input = input(b.get("input"));
		String instructions = Fields.optString(b, "instructions", "");
		JsonNode text = Fields.optObject(b, "text", "");
		JsonNode format = text == null ? null : Fields.optObject(text, "format", "text");
		ResponseFormat responseFormat = format == null ? null : ChatRequestDecoder.format(format, "text.format", format);
		Sampling sampling = new Sampling(Fields.optNumber(b, "temperature", "", 0, 2), Fields.optNumber(b, "top_p", "", 0, 1),
				null, null, Fields.optInt(b, "max_output_tokens", "", 1, Integer.MAX_VALUE), null, List.of(), null, null,
				null);
		List<ResponsesCall.McpTool> mcp = new ArrayList<>();
		Set<String> custom = new HashSet<>();
		List<ToolDefinition> tools = tools(b, mcp, custom);
		Map<String, Object> extra = new HashMap<>();
		JsonNode reasoning = Fields.optObject(b, "reasoning", "");
		String effort = reasoning == null ? null : Fields.optString(reasoning, "effort", "reasoning");
		if (effort != null) {
			extra.put(Reasoning.EFFORT, effort);
		}
		ChatRequest request = new ChatRequest(model, input, tools, ChatRequestDecoder.offered(toolChoice(b), tools),
				Fields.optBoolean(b, "parallel_tool_calls", ""), responseFormat, sampling,
				Fields.optString(b, "session_id", ""), Fields.optString(b, "user", ""), extra);
		Boolean store = Fields.optBoolean(b, "store", "");
		return new ResponsesCall(request, instructions, Fields.optString(b, "previous_response_id", ""),
				Boolean.TRUE.equals(Fields.optBoolean(b, "stream", "")), store == null || store,
				Fields.optBoolean(b, "use_server_history", ""), ChatRequestDecoder.toolLoop(b), mcp, custom);
	}

	private static List<ChatMessage> input(JsonNode in) {
		if (in == null || in.isNull()) {
			throw ApiException.invalidRequest("Missing required parameter: 'input'", "input");
		}
		if (in.isTextual()) {
			return List.of(ChatMessage.user(in.textValue()));
		}
		if (!in.isArray()) {
			throw Fields.wrongType("", "input", "a string or an array of input items", in);
		}
		List<ChatMessage> out = new ArrayList<>();
		List<ToolCall> pendingCalls = new ArrayList<>();
		for (int i = 0; i < in.size(); i++) {
			String at = path("input", i);
			JsonNode item = in.get(i);
			if (!item.isObject()) {
				throw Fields.wrongType(at, "", "an object", item);
			}
			String type = Fields.optString(item, "type", at);
			if (type == null || type.equals("message")) {
				flush(out, pendingCalls);
				String role = Fields.requiredString(item, "role", at);
				if (!List.of("user", "assistant", "system", "developer").contains(role)) {
					throw ApiException.invalidRequest("Invalid value for '" + path(at, "role") + "': '" + role
							+ "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.", path(at, "role"));
				}
				out.add(new ChatMessage(role, MessageDecoder.content(item.get("content"), path(at, "content")), null, null,
						null));
			} else if (type.equals("function_call")) {
				pendingCalls.add(new ToolCall(Fields.requiredString(item, "call_id", at),
						Fields.requiredString(item, "name", at), MessageDecoder.arguments(item.get("arguments"))));
			} else if (type.equals("custom_tool_call")) {
				pendingCalls.add(new ToolCall(Fields.requiredString(item, "call_id", at),
						Fields.requiredString(item, "name", at), Json.string(Json.object().put(CUSTOM_INPUT,
								Fields.requiredString(item, "input", at)))));
			} else if (type.equals("function_call_output") || type.equals("custom_tool_call_output")) {
				flush(out, pendingCalls);
				JsonNode output = item.get("output");
				String text = output == null || output.isNull() ? "" : output.isTextual() ? output.textValue()
						: MessageDecoder.text(MessageDecoder.content(output, path(at, "output")));
				out.add(ChatMessage.tool(Fields.requiredString(item, "call_id", at), text));
			} else if (!type.equals("reasoning")) {
				throw ApiException.invalidRequest("Invalid value for '" + path(at, "type") + "': '" + type
						+ "'. Supported values are: 'message', 'function_call', 'function_call_output', 'custom_tool_call', "
						+ "'custom_tool_call_output' and 'reasoning'.", path(at, "type"));
			}
		}
		flush(out, pendingCalls);
		return out;
	}

	/** Consecutive function_call items are one assistant turn with several calls. */
	private static void flush(List<ChatMessage> out, List<ToolCall> pendingCalls) {
		if (!pendingCalls.isEmpty()) {
			out.add(ChatMessage.assistant(null, pendingCalls));
			pendingCalls.clear();
		}
	}

	private static List<ToolDefinition> tools(JsonNode b, List<ResponsesCall.McpTool> mcp, Set<String> custom) {
		List<ToolDefinition> out = new ArrayList<>();
		JsonNode tools = Fields.optArray(b, "tools", "");
		if (tools == null) {
			return out;
		}
		for (int i = 0; i < tools.size(); i++) {
			String at = path("tools", i);
			JsonNode t = tools.get(i);
			String type = t.isObject() ? Fields.optString(t, "type", at) : null;
			if ("mcp".equals(type)) {
				// allowed_tools: a list of names, or {"tool_names": [...]}; absent: all of the server's tools
				JsonNode allowed = t.get("allowed_tools");
				List<String> names = allowed == null || allowed.isNull() ? null
						: allowed.isObject() ? Fields.optStrings(allowed, "tool_names", path(at, "allowed_tools"))
								: Fields.optStrings(t, "allowed_tools", at);
				mcp.add(new ResponsesCall.McpTool(Fields.requiredString(t, "server_label", at), names));
			} else if ("function".equals(type)) {
				out.add(ChatRequestDecoder.function(t, at));
			} else if ("custom".equals(type)) {
				// free text in (its grammar, if any, is not enforced): a function of one string for the model
				String name = Fields.requiredString(t, "name", at);
				custom.add(name);
				out.add(new ToolDefinition(name, Fields.optString(t, "description", at), CUSTOM_SCHEMA, false));
			} else if (type == null) {
				throw ApiException.invalidRequest("Missing required parameter: '" + path(at, "type") + "'", path(at, "type"));
			}
			// OpenAI's hosted tools (web_search, file_search, code_interpreter, image_generation, computer_use,
			// local_shell ...) do not run here: left out, as Anthropic's are
		}
		return out;
	}

	private static ToolChoice toolChoice(JsonNode b) {
		JsonNode c = b.get("tool_choice");
		if (c != null && c.isObject() && c.has("name") && !c.has("function")) {
			return ToolChoice.function(Fields.requiredString(c, "name", "tool_choice"));
		}
		return ChatRequestDecoder.toolChoice(b);
	}

	/**
	 * Output items of a completed result: a reasoning item (when the model reasoned), a message item (when there is
	 * text) and one item per call.
	 */
	public static ArrayNode output(ChatResult result, String messageId, String reasoningId, Set<String> customTools) {
		ArrayNode output = Json.MAPPER.createArrayNode();
		if (result.reasoning() != null) {
			output.add(reasoningItem(reasoningId, result.reasoning(), "completed"));
		}
		String text = result.message().text();
		if (!text.isEmpty() || result.message().toolCalls().isEmpty()) {
			output.add(messageItem(messageId, text, "completed"));
		}
		for (ToolCall c : result.message().toolCalls()) {
			output.add(callItem(c, c.arguments(), customTools.contains(c.name()), "completed"));
		}
		return output;
	}

	public static ObjectNode messageItem(String id, String text, String status) {
		ObjectNode item = Json.object();
		item.put("id", id);
		item.put("type", "message");
		item.put("status", status);
		item.put("role", "assistant");
		ArrayNode content = item.putArray("content");
		if (text != null) {
			content.add(outputText(text));
		}
		return item;
	}

	/** A reasoning item: the model's reasoning as {@code reasoning_text} content, no summary. */
	public static ObjectNode reasoningItem(String id, String text, String status) {
		ObjectNode item = Json.object();
		item.put("id", id);
		item.put("type", "reasoning");
		item.put("status", status);
		item.putArray("summary");
		ArrayNode content = item.putArray("content");
		if (text != null) {
			content.addObject().put("type", "reasoning_text").put("text", text);
		}
		return item;
	}

	public static ObjectNode outputText(String text) {
		ObjectNode part = Json.object();
		part.put("type", "output_text");
		part.put("text", text);
		part.putArray("annotations");
		part.putArray("logprobs");
		return part;
	}

	/**
	 * A call's output item: a {@code function_call} with the arguments the model wrote, or for a custom tool a
	 * {@code custom_tool_call} with its free text {@code input} (the arguments' "input", else the arguments as
	 * written).
	 */
	public static ObjectNode callItem(ToolCall c, String arguments, boolean custom, String status) {
		ObjectNode item = Json.object();
		item.put("id", (custom ? "ctc_" : "fc_") + c.id());
		item.put("type", custom ? "custom_tool_call" : "function_call");
		item.put("status", status);
		item.put("call_id", c.id());
		item.put("name", c.name());
		item.put(custom ? "input" : "arguments", custom ? customInput(arguments) : arguments);
		return item;
	}

	private static String customInput(String arguments) {
		JsonNode args = Json.argumentsObject(arguments);
		JsonNode input = args == null ? null : args.get(CUSTOM_INPUT);
		return input != null && input.isTextual() ? input.textValue() : arguments;
	}

	/** The response object; {@code output} null means none yet (in progress). */
	public static ObjectNode response(String id, long createdAt, String model, ResponsesCall call, String status,
			ArrayNode output, FinishReason finish, Usage usage) {
		ObjectNode r = Json.object();
		r.put("id", id);
		r.put("object", "response");
		r.put("created_at", createdAt);
		r.put("status", status);
		r.putNull("error");
		if (finish == FinishReason.LENGTH) {
			r.putObject("incomplete_details").put("reason", "max_output_tokens");
		} else {
			r.putNull("incomplete_details");
		}
		r.put("instructions", call.instructions());
		r.put("max_output_tokens", call.request().sampling().maxTokens());
		r.put("model", model);
		r.set("output", output == null ? Json.MAPPER.createArrayNode() : output);
		r.put("parallel_tool_calls", call.request().parallelToolCalls() == null || call.request().parallelToolCalls());
		r.put("previous_response_id", call.previousResponseId());
		r.put("store", call.store());
		r.put("temperature", call.request().sampling().temperature());
		r.put("top_p", call.request().sampling().topP());
		r.put("tool_choice", "auto");
		ArrayNode tools = r.putArray("tools");
		for (ToolDefinition t : call.request().tools()) {
			ObjectNode tool = tools.addObject();
			if (call.customTools().contains(t.name())) {
				tool.put("type", "custom").put("name", t.name()).put("description", t.description());
				continue;
			}
			tool.put("type", "function");
			tool.put("name", t.name());
			tool.put("description", t.description());
			tool.set("parameters", Json.toNode(t.parameters()));
			tool.put("strict", t.strict());
		}
		r.putObject("text").putObject("format").put("type", "text");
		r.put("truncation", "disabled");
		r.putObject("metadata");
		if (usage == null) {
			r.putNull("usage");
		} else {
			ObjectNode u = r.putObject("usage");
			u.put("input_tokens", usage.promptTokens());
			u.putObject("input_tokens_details").put("cached_tokens", usage.cachedTokens());
			u.put("output_tokens", usage.completionTokens());
			u.putObject("output_tokens_details").put("reasoning_tokens", 0);
			u.put("total_tokens", usage.totalTokens());
		}
		return r;
	}

	/** completed, or incomplete when the token limit cut the answer. */
	public static String status(FinishReason finish) {
		return finish == FinishReason.LENGTH ? "incomplete" : "completed";
	}
}
