package ai.local.runtime.toolloop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tool calls written as text by models without native tool calls: {@code <tool_call>{...}</tool_call>} (Hermes,
 * Qwen), {@code [TOOL_CALLS] [...]} (Mistral), {@code <|python_tag|>{...}} (Llama 3.1),
 * {@code <function=name>{...}</function>} (Llama 3.2), or bare JSON, fenced or not: {@code {"name", "arguments"}},
 * a list of those, {@code {"tool_calls": [...]}} or OpenAI's {@code {"function": {...}}}. Arguments may be an
 * object or a JSON string; {@code parameters}, {@code args} and {@code input} are accepted for them. Bare JSON
 * counts only when it names an allowed tool, so an ordinary JSON answer stays an answer.
 */
final class TextToolCalls {
	static final ObjectMapper JSON = new ObjectMapper();

	/** A call found in text; {@code arguments} is a JSON object text. */
	record Found(String name, String arguments) {
	}

	/** The calls and the text around them. */
	record Parsed(String text, List<Found> calls) {
	}

	private static final List<String> OPENERS = List.of("<tool_call>", "[TOOL_CALLS]", "<|python_tag|>", "<function=",
			"```", "{", "[");
	private static final Pattern TAGGED = Pattern.compile("<tool_call>\\s*(.*?)\\s*(?:</tool_call>|$)", Pattern.DOTALL);
	private static final Pattern FUNCTION_TAG = Pattern.compile("<function=([\\w.\\-]+)>\\s*(.*?)\\s*(?:</function>|$)",
			Pattern.DOTALL);
	private static final Pattern FENCE = Pattern.compile("^```(?:json|tool_call|tool)?\\s*(.*?)\\s*```$", Pattern.DOTALL);

	private TextToolCalls() {
	}

	/**
	 * Whether text that starts like this may still turn out to be a tool call, so a stream should hold it back
	 * until it knows.
	 */
	static boolean mayBeCall(String soFar) {
		String t = soFar.stripLeading();
		if (t.isEmpty()) {
			return true;
		}
		for (String opener : OPENERS) {
			if (t.startsWith(opener) || opener.startsWith(t)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the text already starts with a whole opener: it stays a possible call whatever follows. */
	static boolean opensCall(String soFar) {
		String t = soFar.stripLeading();
		return OPENERS.stream().anyMatch(t::startsWith);
	}

	/** The calls in {@code text}; none when it holds no recognisable call. */
	static Parsed parse(String text, Set<String> allowed) {
		String t = text.strip();
		List<Found> calls = new ArrayList<>();
		if (t.contains("<tool_call>")) {
			Matcher m = TAGGED.matcher(t);
			while (m.find()) {
				calls.addAll(fromJson(m.group(1), null));
			}
			return new Parsed(t.substring(0, t.indexOf("<tool_call>")).strip(), calls);
		}
		if (t.contains("<function=")) {
			Matcher m = FUNCTION_TAG.matcher(t);
			while (m.find()) {
				calls.add(new Found(m.group(1), arguments(m.group(2))));
			}
			return new Parsed(t.substring(0, t.indexOf("<function=")).strip(), calls);
		}
		for (String tag : List.of("[TOOL_CALLS]", "<|python_tag|>")) {
			int at = t.indexOf(tag);
			if (at >= 0) {
				calls.addAll(fromJson(t.substring(at + tag.length()).strip(), null));
				return new Parsed(t.substring(0, at).strip(), calls);
			}
		}
		Matcher fence = FENCE.matcher(t);
		String json = fence.matches() ? fence.group(1) : t;
		if (json.startsWith("{") || json.startsWith("[")) {
			calls.addAll(fromJson(json, allowed));
		}
		return new Parsed(calls.isEmpty() ? t : "", calls);
	}

	/** Calls in a JSON text; with {@code allowed} set, only calls of those tools count. */
	private static List<Found> fromJson(String json, Set<String> allowed) {
		List<Found> calls = new ArrayList<>();
		JsonNode node;
		try {
			node = JSON.readTree(json);
		} catch (JsonProcessingException e) {
			return calls;
		}
		if (node == null) {
			return calls;
		}
		if (node.isObject() && node.has("tool_calls")) {
			node = node.get("tool_calls");
		}
		for (JsonNode call : node.isArray() ? node : List.of(node)) {
			Found f = call(call);
			if (f != null && (allowed == null || allowed.contains(f.name()))) {
				calls.add(f);
			} else if (allowed != null) {
				return List.of(); // bare JSON that is not wholly calls of allowed tools is an answer
			}
		}
		return calls;
	}

	private static Found call(JsonNode call) {
		if (!call.isObject()) {
			return null;
		}
		JsonNode fn = call.has("function") && call.get("function").isObject() ? call.get("function") : call;
		String name = text(fn, "name", "tool", "tool_name");
		if (name == null) {
			return null;
		}
		for (String key : List.of("arguments", "parameters", "args", "input")) {
			JsonNode a = fn.get(key);
			if (a != null && !a.isNull()) {
				return new Found(name, a.isTextual() ? arguments(a.textValue()) : a.toString());
			}
		}
		return new Found(name, "{}");
	}

	private static String text(JsonNode n, String... keys) {
		for (String k : keys) {
			if (n.hasNonNull(k) && n.get(k).isTextual()) {
				return n.get(k).textValue();
			}
		}
		return null;
	}

	/** A JSON object text from whatever the model wrote as arguments; "{}" for nothing. */
	private static String arguments(String text) {
		String t = text.strip();
		if (t.isEmpty()) {
			return "{}";
		}
		try {
			JsonNode n = JSON.readTree(t);
			return n != null && n.isObject() ? n.toString() : t;
		} catch (JsonProcessingException e) {
			return t; // left as written: the tool reports what is wrong with it
		}
	}
}
