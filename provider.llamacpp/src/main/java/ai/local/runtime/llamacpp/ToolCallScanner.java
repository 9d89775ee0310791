package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a tool-call section in one {@link ToolSyntax} from generated text that may still be growing: the calls
 * so far (a name as soon as it is whole, the arguments JSON as far as it goes) and where the section ends, or
 * that more text is needed. Called again on the longer text each time; the caller streams the difference.
 */
final class ToolCallScanner {
	/** One call as far as it was read. {@code arguments}: raw JSON, a prefix while {@code complete} is false. */
	record Call(String name, String arguments, boolean complete) {
	}

	/** {@code end}: where the section ends, -1 while it may go on. */
	record Scan(List<Call> calls, int end) {
	}

	private static final int MORE = -1, NO = -2;

	private final ToolSyntax syntax;
	/** Each tool's parameter schema, to type the values of the XML syntaxes. */
	private final Map<String, JsonNode> parameters;

	ToolCallScanner(ToolSyntax syntax, Map<String, JsonNode> parameters) {
		this.syntax = syntax;
		this.parameters = parameters;
	}

	/** @param from where the section's opener starts; {@code end}: no more text will come */
	Scan scan(CharSequence s, int from, boolean end) {
		List<Call> calls = new ArrayList<>();
		int pos = switch (syntax) {
		case HERMES -> tagged(s, from, end, calls, "<tool_call>", "</tool_call>", false);
		case QWEN3_CODER, GLM -> tagged(s, from, end, calls, "<tool_call>", "</tool_call>", true);
		case LLAMA3 -> llama3(s, from, calls);
		case MISTRAL -> mistral(s, from, end, calls);
		case GRANITE -> array(s, marker(s, from, "<|tool_call|>"), calls, "name", null);
		case COMMAND_R -> array(s, marker(s, from, "<|START_ACTION|>"), calls, "tool_name", "<|END_ACTION|>");
		case DEEPSEEK -> deepseek(s, from, end, calls);
		default -> NO;
		};
		return new Scan(calls, pos == NO ? (end ? s.length() : MORE) : pos == MORE && end ? s.length() : pos);
	}

	/** Calls each between {@code open} and {@code close}, separated by whitespace. */
	private int tagged(CharSequence s, int pos, boolean end, List<Call> calls, String open, String close, boolean xml) {
		while (true) {
			int at = marker(s, skipWs(s, pos), open);
			if (at == NO) {
				return pos; // the section ends before whatever follows
			}
			if (at == MORE) {
				return end ? pos : MORE;
			}
			int closeAt = indexOf(s, close, at);
			if (xml) {
				Call c = syntax == ToolSyntax.GLM ? glm(s, at, closeAt) : qwenXml(s, at, closeAt);
				if (c == null) {
					return MORE;
				}
				calls.add(c);
			} else {
				int after = object(s, at, calls, "name", closeAt < 0 ? s.length() : closeAt);
				if (after == MORE || closeAt < 0) {
					return MORE;
				}
			}
			if (closeAt < 0) {
				return MORE;
			}
			pos = closeAt + close.length();
		}
	}

	/** A JSON object call {"name": ..., "arguments"|"parameters": {...}}; returns where it ends or MORE. */
	private static int object(CharSequence s, int pos, List<Call> calls, String nameKey, int limit) {
		JsonCursor c = new JsonCursor(CharBuffer.wrap(s, 0, limit)); // a view: the scan runs per piece
		c.pos = pos;
		if (!c.skip('{')) {
			return c.pos >= limit ? MORE : NO;
		}
		String name = null, args = null;
		boolean done = false;
		while (true) {
			String key = c.string();
			if (key == null || !c.skip(':')) {
				break;
			}
			c.ws();
			int start = c.pos, valueEnd = c.valueEnd();
			if (key.equals(nameKey)) {
				name = valueEnd < 0 ? null : new JsonCursor(s.subSequence(start, valueEnd)).string();
			} else if (key.equals("arguments") || key.equals("parameters")) {
				args = s.subSequence(start, valueEnd < 0 ? limit : valueEnd).toString();
			}
			if (valueEnd < 0) {
				break;
			}
			c.pos = valueEnd;
			if (c.skip('}')) {
				done = true;
				break;
			}
			if (!c.skip(',')) {
				break;
			}
		}
		if (name != null || args != null) {
			calls.add(new Call(name, args == null ? (done ? "{}" : "") : args, done));
		}
		return done ? c.pos : MORE;
	}

	/** A JSON array of call objects after an opener (Granite, Command R, Mistral's older form). */
	private static int array(CharSequence s, int pos, List<Call> calls, String nameKey, String close) {
		if (pos < 0) {
			return pos;
		}
		JsonCursor c = new JsonCursor(s);
		c.pos = pos;
		if (!c.skip('[')) {
			return c.pos >= s.length() ? MORE : NO;
		}
		while (true) {
			c.ws();
			int after = object(s, c.pos, calls, nameKey, s.length());
			if (after < 0) {
				return after == NO && calls.isEmpty() ? NO : MORE;
			}
			c.pos = after;
			if (c.skip(']')) {
				break;
			}
			if (!c.skip(',')) {
				return c.pos >= s.length() ? MORE : NO;
			}
		}
		if (close == null) {
			return c.pos;
		}
		int at = marker(s, skipWs(s, c.pos), close);
		return at == NO ? c.pos : at;
	}

	private static int llama3(CharSequence s, int pos, List<Call> calls) {
		int at = marker(s, pos, "<|python_tag|>");
		int start = skipWs(s, at >= 0 ? at : pos);
		int end = object(s, start, calls, "name", s.length());
		if (end < 0) {
			return end;
		}
		// several calls may follow separated by ';'
		int next = skipWs(s, end);
		if (next < s.length() && s.charAt(next) == ';') {
			return llama3(s, next + 1, calls);
		}
		return end;
	}

	private static int mistral(CharSequence s, int pos, boolean end, List<Call> calls) {
		while (true) {
			int at = marker(s, skipWs(s, pos), "[TOOL_CALLS]");
			if (at == NO) {
				return pos;
			}
			if (at == MORE) {
				return end ? pos : MORE;
			}
			int body = skipWs(s, at);
			if (body >= s.length()) {
				return MORE;
			}
			if (s.charAt(body) == '[') {
				return array(s, body, calls, "name", null);
			}
			int args = indexOf(s, "[ARGS]", body);
			if (args < 0) {
				return MORE;
			}
			String name = s.subSequence(body, args).toString().strip();
			int callId = name.indexOf("[CALL_ID]");
			name = callId >= 0 ? name.substring(0, callId).strip() : name; // Mistral Small 3.2 names the call
			int jsonStart = skipWs(s, args + 6);
			JsonCursor c = new JsonCursor(s);
			c.pos = jsonStart;
			int valueEnd = jsonStart < s.length() ? c.valueEnd() : -1;
			calls.add(new Call(name, s.subSequence(jsonStart, valueEnd < 0 ? s.length() : valueEnd).toString(), valueEnd >= 0));
			if (valueEnd < 0) {
				return MORE;
			}
			pos = valueEnd;
		}
	}

	private static final String CALLS_BEGIN = "<｜tool▁calls▁begin｜>", CALLS_END = "<｜tool▁calls▁end｜>",
			CALL_BEGIN = "<｜tool▁call▁begin｜>", CALL_END = "<｜tool▁call▁end｜>", SEP = "<｜tool▁sep｜>";

	/** DeepSeek R1 (function SEP name ```json args```) and V3.1 (name SEP args). */
	private static int deepseek(CharSequence s, int pos, boolean end, List<Call> calls) {
		int at = marker(s, pos, CALLS_BEGIN);
		pos = at >= 0 ? at : pos;
		if (at == MORE) {
			return MORE;
		}
		while (true) {
			int call = marker(s, skipWs(s, pos), CALL_BEGIN);
			if (call == MORE) {
				return end ? pos : MORE;
			}
			if (call == NO) {
				int close = marker(s, skipWs(s, pos), CALLS_END);
				return close == MORE ? (end ? pos : MORE) : close == NO ? pos : close;
			}
			int sep = indexOf(s, SEP, call);
			if (sep < 0) {
				return MORE;
			}
			String head = s.subSequence(call, sep).toString().strip();
			int argsStart = sep + SEP.length();
			String name;
			if (head.equals("function")) {
				int nl = indexOf(s, "\n", argsStart);
				if (nl < 0) {
					return MORE;
				}
				name = s.subSequence(argsStart, nl).toString().strip();
				argsStart = nl + 1;
				int fence = marker(s, argsStart, "```json");
				if (fence == MORE) {
					calls.add(new Call(name, "", false));
					return MORE;
				}
				argsStart = fence >= 0 ? skipWs(s, fence) : argsStart;
			} else {
				name = head;
			}
			argsStart = skipWs(s, argsStart);
			JsonCursor c = new JsonCursor(s);
			c.pos = argsStart;
			int valueEnd = argsStart < s.length() ? c.valueEnd() : -1;
			calls.add(new Call(name, s.subSequence(argsStart, valueEnd < 0 ? s.length() : valueEnd).toString(), valueEnd >= 0));
			if (valueEnd < 0) {
				return MORE;
			}
			int close = indexOf(s, CALL_END, valueEnd);
			if (close < 0) {
				return MORE;
			}
			pos = close + CALL_END.length();
		}
	}

	/** {@code <function=NAME><parameter=P>V</parameter>...</function>}; null while the call is not whole. */
	private Call qwenXml(CharSequence s, int from, int closeAt) {
		int fn = indexOf(s, "<function=", from);
		if (fn < 0 || closeAt >= 0 && fn > closeAt) {
			return null;
		}
		int gt = indexOf(s, ">", fn);
		if (gt < 0) {
			return null;
		}
		String name = s.subSequence(fn + 10, gt).toString().strip();
		if (closeAt < 0) {
			return new Call(name, "", false);
		}
		ObjectNode args = Json.MAPPER.createObjectNode();
		int p = gt + 1;
		while (true) {
			int param = indexOf(s, "<parameter=", p);
			if (param < 0 || param > closeAt) {
				break;
			}
			int pgt = indexOf(s, ">", param);
			int pend = indexOf(s, "</parameter>", pgt);
			if (pgt < 0 || pend < 0 || pend > closeAt) {
				break;
			}
			String key = s.subSequence(param + 11, pgt).toString().strip();
			args.set(key, typed(name, key, trimNewline(s.subSequence(pgt + 1, pend).toString())));
			p = pend + 12;
		}
		return new Call(name, args.toString(), true);
	}

	/** {@code NAME<arg_key>K</arg_key><arg_value>V</arg_value>...}; null while the call is not whole. */
	private Call glm(CharSequence s, int from, int closeAt) {
		int firstKey = indexOf(s, "<arg_key>", from);
		int nameEnd = closeAt < 0 ? (firstKey < 0 ? -1 : firstKey) : (firstKey < 0 || firstKey > closeAt ? closeAt : firstKey);
		if (nameEnd < 0) {
			String sofar = s.subSequence(from, s.length()).toString();
			int nl = sofar.indexOf('\n');
			return nl < 0 ? null : new Call(sofar.substring(0, nl).strip(), "", false);
		}
		String name = s.subSequence(from, nameEnd).toString().strip();
		if (closeAt < 0) {
			return new Call(name, "", false);
		}
		ObjectNode args = Json.MAPPER.createObjectNode();
		int p = nameEnd;
		while (true) {
			int k = indexOf(s, "<arg_key>", p);
			if (k < 0 || k > closeAt) {
				break;
			}
			int kEnd = indexOf(s, "</arg_key>", k);
			int v = indexOf(s, "<arg_value>", kEnd);
			int vEnd = indexOf(s, "</arg_value>", v);
			if (kEnd < 0 || v < 0 || vEnd < 0 || vEnd > closeAt) {
				break;
			}
			String key = s.subSequence(k + 9, kEnd).toString().strip();
			args.set(key, typed(name, key, s.subSequence(v + 11, vEnd).toString()));
			p = vEnd + 12;
		}
		return new Call(name, args.toString(), true);
	}

	/** A value of the XML syntaxes: a string where the schema says string, else JSON where it parses. */
	private JsonNode typed(String tool, String key, String raw) {
		JsonNode schema = parameters.getOrDefault(tool, Json.MAPPER.createObjectNode()).path("properties").path(key);
		String type = schema.path("type").asText();
		if (type.equals("boolean") && (raw.strip().equals("True") || raw.strip().equals("False"))) {
			// Qwen3-Coder's template writes Python's str() of a value: True, False
			return Json.MAPPER.getNodeFactory().booleanNode(raw.strip().equals("True"));
		}
		if (!"string".equals(type)) {
			try {
				return Json.MAPPER.readTree(raw.strip());
			} catch (IOException | RuntimeException notJson) {
				// a string after all
			}
		}
		return Json.MAPPER.getNodeFactory().textNode(raw);
	}

	private static String trimNewline(String v) {
		String out = v.startsWith("\n") ? v.substring(1) : v;
		return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
	}

	/** After {@code marker} at {@code pos}: the position after it, MORE if the text ends inside it, NO if absent. */
	static int marker(CharSequence s, int pos, String marker) {
		for (int i = 0; i < marker.length(); i++) {
			if (pos + i >= s.length()) {
				return MORE;
			}
			if (s.charAt(pos + i) != marker.charAt(i)) {
				return NO;
			}
		}
		return pos + marker.length();
	}

	private static int skipWs(CharSequence s, int pos) {
		while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
			pos++;
		}
		return pos;
	}

	private static int indexOf(CharSequence s, String what, int from) {
		if (from < 0) {
			return -1;
		}
		return s instanceof StringBuilder b ? b.indexOf(what, from) : s.toString().indexOf(what, from);
	}
}
