package ai.local.runtime.http.codec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolLoopLimits;

/** An OpenAI {@code POST /v1/chat/completions} body → {@link ChatCall}. */
public final class ChatRequestDecoder {

	/** Fields this decoder understands; any other top-level field travels in {@link ChatRequest#extra()}. */
	private static final Set<String> KNOWN = Set.of("model", "messages", "tools", "tool_choice",
			"parallel_tool_calls", "response_format", "stream", "stream_options", "n", "max_tokens",
			"max_completion_tokens", "temperature", "top_p", "min_p", "top_k", "seed", "stop", "presence_penalty",
			"frequency_penalty", "repeat_penalty", "repetition_penalty", "user", "session_id", "use_server_history",
			"functions", "function_call", "logprobs", "top_logprobs", "store", "metadata", "max_steps",
			"max_tool_calls", "planner", "trace", "tool_timeout", "api_key", "api-key");

	private ChatRequestDecoder() {
	}

	public static ChatCall decode(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = Fields.requiredString(b, "model", "");
		Integer n = Fields.optInt(b, "n", "", 1, 128);
		if (n != null && n != 1) {
			throw ApiException.invalidRequest("Only n=1 is supported", "n");
		}
		boolean stream = Boolean.TRUE.equals(Fields.optBoolean(b, "stream", ""));
		JsonNode streamOptions = Fields.optObject(b, "stream_options", "");
		boolean includeUsage = streamOptions != null
				&& Boolean.TRUE.equals(Fields.optBoolean(streamOptions, "include_usage", "stream_options"));
		List<ToolDefinition> tools = tools(b);
		ChatRequest request = new ChatRequest(model, MessageDecoder.messages(b), tools, offered(toolChoice(b), tools),
				Fields.optBoolean(b, "parallel_tool_calls", ""), responseFormat(b), sampling(b),
				Fields.optString(b, "session_id", ""), Fields.optString(b, "user", ""), extra(b));
		return new ChatCall(request, stream, includeUsage, Fields.optBoolean(b, "use_server_history", ""),
				toolLoop(b));
	}

	/**
	 * {@code max_steps}, {@code max_tool_calls}, {@code planner} (true, or {@code {max_plan_steps,
	 * max_rewrites}}), {@code trace}, {@code tool_timeout} (seconds); null when none is given.
	 */
	static ToolLoopLimits toolLoop(JsonNode b) {
		if (!b.hasNonNull("max_steps") && !b.hasNonNull("max_tool_calls") && !b.hasNonNull("planner")
				&& !b.hasNonNull("trace") && !b.hasNonNull("tool_timeout")) {
			return null;
		}
		ToolLoopLimits d = ToolLoopLimits.DEFAULTS;
		Integer steps = Fields.optInt(b, "max_steps", "", 1, 100);
		Integer calls = Fields.optInt(b, "max_tool_calls", "", 1, 1000);
		Double timeout = Fields.optNumber(b, "tool_timeout", "", 0.001, 86_400);
		boolean planner = false;
		Integer planSteps = null;
		Integer rewrites = null;
		JsonNode p = b.get("planner");
		if (p != null && p.isObject()) {
			planner = true;
			planSteps = Fields.optInt(p, "max_plan_steps", "planner", 1, 100);
			rewrites = Fields.optInt(p, "max_rewrites", "planner", 0, 20);
		} else if (p != null && !p.isNull()) {
			planner = Boolean.TRUE.equals(Fields.optBoolean(b, "planner", ""));
		}
		return new ToolLoopLimits(steps != null ? steps : d.maxSteps(), calls != null ? calls : d.maxToolCalls(),
				timeout == null ? null : Duration.ofNanos((long) (timeout * 1e9)), planner,
				Boolean.TRUE.equals(Fields.optBoolean(b, "trace", "")),
				planSteps != null ? planSteps : d.maxPlanSteps(), rewrites != null ? rewrites : d.maxRewrites());
	}

	static Sampling sampling(JsonNode b) {
		Integer maxTokens = Fields.optInt(b, "max_completion_tokens", "", 1, Integer.MAX_VALUE);
		if (maxTokens == null) {
			maxTokens = Fields.optInt(b, "max_tokens", "", 1, Integer.MAX_VALUE);
		}
		Double repeat = Fields.optNumber(b, "repeat_penalty", "", 0, 10);
		if (repeat == null) {
			repeat = Fields.optNumber(b, "repetition_penalty", "", 0, 10);
		}
		return new Sampling(Fields.optNumber(b, "temperature", "", 0, 2), Fields.optNumber(b, "top_p", "", 0, 1),
				Fields.optNumber(b, "min_p", "", 0, 1), Fields.optInt(b, "top_k", "", 0, Integer.MAX_VALUE), maxTokens,
				Fields.optLong(b, "seed", ""), Fields.optStrings(b, "stop", ""),
				Fields.optNumber(b, "presence_penalty", "", -2, 2), Fields.optNumber(b, "frequency_penalty", "", -2, 2),
				repeat);
	}

	/** {@code tools: [{type: function, function: {name, description, parameters, strict}}]}. */
	static List<ToolDefinition> tools(JsonNode b) {
		List<ToolDefinition> out = new ArrayList<>();
		JsonNode tools = Fields.optArray(b, "tools", "");
		if (tools != null) {
			for (int i = 0; i < tools.size(); i++) {
				String at = Fields.path("tools", i);
				JsonNode t = tools.get(i);
				if (!t.isObject()) {
					throw Fields.wrongType(at, "", "an object", t);
				}
				String type = Fields.optString(t, "type", at);
				if (type != null && !"function".equals(type)) {
					throw ApiException.invalidRequest("Invalid value for '" + at + ".type': '" + type
							+ "'. Supported values are: 'function'.", at + ".type");
				}
				JsonNode fn = Fields.optObject(t, "function", at);
				out.add(fn == null ? function(t, at) : function(fn, Fields.path(at, "function")));
			}
		}
		JsonNode functions = Fields.optArray(b, "functions", "");
		if (functions != null && out.isEmpty()) {
			for (int i = 0; i < functions.size(); i++) {
				out.add(function(functions.get(i), Fields.path("functions", i)));
			}
		}
		return out;
	}

	/** A function definition: the nested chat form or the flat responses form share these fields. */
	static ToolDefinition function(JsonNode fn, String at) {
		if (!fn.isObject()) {
			throw Fields.wrongType(at, "", "an object", fn);
		}
		String name = Fields.requiredString(fn, "name", at);
		JsonNode params = Fields.optObject(fn, "parameters", at);
		return new ToolDefinition(name, Fields.optString(fn, "description", at),
				params == null ? null : Json.toMap(params), Boolean.TRUE.equals(Fields.optBoolean(fn, "strict", at)));
	}

	static ToolChoice toolChoice(JsonNode b) {
		JsonNode c = b.get("tool_choice");
		if (c == null || c.isNull()) {
			c = b.get("function_call");
			if (c == null || c.isNull()) {
				return null;
			}
		}
		if (c.isTextual()) {
			switch (c.textValue()) {
			case "auto":
				return ToolChoice.AUTO;
			case "none":
				return ToolChoice.NONE;
			case "required", "any":
				return ToolChoice.REQUIRED;
			default:
				throw ApiException.invalidRequest("Invalid value for 'tool_choice': '" + c.textValue()
						+ "'. Supported values are: 'none', 'auto', 'required' or a named function.", "tool_choice");
			}
		}
		if (c.isObject()) {
			JsonNode fn = c.get("function");
			String name = fn != null && fn.isObject() ? Fields.optString(fn, "name", "tool_choice.function")
					: Fields.optString(c, "name", "tool_choice");
			if (name != null) {
				return ToolChoice.function(name);
			}
		}
		throw ApiException.invalidRequest("Invalid 'tool_choice': expected 'none', 'auto', 'required' or "
				+ "{\"type\":\"function\",\"function\":{\"name\":...}}", "tool_choice");
	}

	/**
	 * A named tool choice must name one of the request's tools (OpenAI answers 400 otherwise); checked here so that
	 * no provider is asked to force a tool it was never given.
	 */
	static ToolChoice offered(ToolChoice choice, List<ToolDefinition> tools) {
		if (choice == null || choice.mode() != ToolChoice.Mode.FUNCTION) {
			return choice;
		}
		if (tools.isEmpty()) {
			throw ApiException.invalidRequest("Invalid value for 'tool_choice': 'tool_choice' is only allowed when "
					+ "'tools' are specified.", "tool_choice");
		}
		for (ToolDefinition t : tools) {
			if (t.name().equals(choice.function())) {
				return choice;
			}
		}
		throw ApiException.invalidRequest("Invalid value for 'tool_choice': no function named '" + choice.function()
				+ "' was specified in the 'tools' parameter.", "tool_choice");
	}

	static ResponseFormat responseFormat(JsonNode b) {
		JsonNode f = Fields.optObject(b, "response_format", "");
		return f == null ? null : format(f, "response_format", f.get("json_schema"));
	}

	/**
	 * {@code {type: text | json_object | json_schema, ...}}; chat nests the schema under json_schema,
	 * responses' text.format holds it flat, so the caller says where the schema object is.
	 */
	static ResponseFormat format(JsonNode f, String at, JsonNode schemaHolder) {
		String type = Fields.requiredString(f, "type", at);
		switch (type) {
		case "text":
			return ResponseFormat.TEXT;
		case "json_object":
			return ResponseFormat.JSON_OBJECT;
		case "json_schema":
			if (schemaHolder == null || !schemaHolder.isObject()) {
				throw ApiException.invalidRequest("Missing required parameter: '" + at + ".json_schema'",
						at + ".json_schema");
			}
			String holderPath = schemaHolder == f ? at : at + ".json_schema";
			JsonNode schema = Fields.optObject(schemaHolder, "schema", holderPath);
			return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, Fields.optString(schemaHolder, "name", holderPath),
					schema == null ? Map.of() : Json.toMap(schema),
					Boolean.TRUE.equals(Fields.optBoolean(schemaHolder, "strict", holderPath)));
		default:
			throw ApiException.invalidRequest("Invalid value for '" + at + ".type': '" + type
					+ "'. Supported values are: 'text', 'json_object' and 'json_schema'.", at + ".type");
		}
	}

	private static Map<String, Object> extra(JsonNode b) {
		Map<String, Object> extra = new HashMap<>();
		Integer top = LogprobsCodec.chatRequest(b);
		if (top != null) {
			extra.put(TokenLogprob.REQUEST, top);
		}
		for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> e = it.next();
			if (!KNOWN.contains(e.getKey()) && !e.getValue().isNull()) {
				extra.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class));
			}
		}
		return extra;
	}
}
