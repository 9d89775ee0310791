package ai.local.runtime.llamacpp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A grammar that forces tool calls in a model's own syntax (tool_choice required or a named function, and the
 * lazy grammar of auto): the syntax's tags around calls whose arguments follow each tool's schema. Null for a
 * syntax it has none for; the caller then uses the generic JSON format.
 */
final class NativeToolGrammar {
	private NativeToolGrammar() {
	}

	/**
	 * @param template the template's source (it tells Mistral's and DeepSeek's two forms apart)
	 * @param callSchema one call: any of {"name": const, "arguments": schema} over {@code tools}
	 * @param tools the offered tools' names and argument schemas, in order
	 * @param toGbnf the JSON schema to GBNF converter (root rule {@code root})
	 */
	static String of(ToolSyntax syntax, String template, ObjectNode callSchema, Map<String, JsonNode> tools,
			boolean parallel, Function<JsonNode, String> toGbnf) {
		String t = template == null ? "" : template;
		return switch (syntax) {
		case HERMES -> json(callSchema, toGbnf, "\"<tool_call>\\n\" tool-call \"\\n</tool_call>\"",
				parallel ? " ( \"\\n<tool_call>\\n\" tool-call \"\\n</tool_call>\" )*" : "", "");
		case LLAMA3 -> json(rename(callSchema, "arguments", "parameters"), toGbnf, "tool-call", "", "");
		case GRANITE -> json(callSchema, toGbnf, "\"<|tool_call|>[\" tool-call", parallel ? " ( \", \" tool-call )*" : "",
				" \"]\"");
		case COMMAND_R -> json(commandR(callSchema), toGbnf, "\"<|START_ACTION|>[\" tool-call",
				parallel ? " ( \",\\n\" tool-call )*" : "", " \"]<|END_ACTION|>\"");
		case MISTRAL -> t.contains("[ARGS]")
				? named(tools, toGbnf, "\"[TOOL_CALLS]\" ", t.contains("[CALL_ID]") ? "\"[CALL_ID]\" [a-zA-Z0-9]{9} " : "",
						"\"[ARGS]\" ", "", parallel)
				: json(callSchema, toGbnf, "\"[TOOL_CALLS][\" tool-call", parallel ? " ( \", \" tool-call )*" : "", " \"]\"");
		case DEEPSEEK -> t.contains("```json")
				? "root ::= \"<｜tool▁calls▁begin｜>\" call" + (parallel ? " ( \"\\n\" call )*" : "")
						+ " \"<｜tool▁calls▁end｜>\"\n" + named(tools, toGbnf, "\"<｜tool▁call▁begin｜>function<｜tool▁sep｜>\" ", "",
								"\"\\n```json\\n\" ", " \"\\n```<｜tool▁call▁end｜>\"", false).replaceFirst("root ::=", "call ::=")
				: "root ::= \"<｜tool▁calls▁begin｜>\" call" + (parallel ? " call*" : "") + " \"<｜tool▁calls▁end｜>\"\n"
						+ named(tools, toGbnf, "\"<｜tool▁call▁begin｜>\" ", "", "\"<｜tool▁sep｜>\" ", " \"<｜tool▁call▁end｜>\"", false)
								.replaceFirst("root ::=", "call ::=");
		case QWEN3_CODER -> xml(tools, toGbnf, parallel, "\"<tool_call>\\n<function=\" ", " \">\\n\"",
				"\"<parameter=\" ", " \">\\n\" ", " \"\\n</parameter>\\n\"", "\"</function>\\n</tool_call>\"");
		case GLM -> xml(tools, toGbnf, parallel, "\"<tool_call>\" ", " \"\\n\"", "\"<arg_key>\" ",
				" \"</arg_key>\\n<arg_value>\" ", " \"</arg_value>\\n\"", "\"</tool_call>\"");
		// the prompt ends with <|start|>assistant: the header goes on with the recipient
		case HARMONY -> named(tools, toGbnf, "\" to=functions.\" ", "", "\"<|channel|>commentary json<|message|>\" ", "", false);
		default -> null;
		};
	}

	/** Calls as JSON objects: {@code root ::= open first more close}, tool-call the call schema's grammar. */
	private static String json(JsonNode callSchema, Function<JsonNode, String> toGbnf, String first, String more,
			String close) {
		String call = toGbnf.apply(callSchema).replaceFirst("(?m)^root ::=", "tool-call ::=");
		return "root ::= " + first + more + close + "\n" + call;
	}

	/**
	 * Calls as the tool's name then its arguments: {@code root ::= ( prefix "NAME" id sep args-of-NAME suffix | ... )},
	 * each tool's arguments grammar under its own rule prefix.
	 */
	private static String named(Map<String, JsonNode> tools, Function<JsonNode, String> toGbnf, String prefix,
			String id, String separator, String suffix, boolean repeat) {
		List<String> alternatives = new ArrayList<>();
		StringBuilder rules = new StringBuilder();
		int i = 0;
		for (Map.Entry<String, JsonNode> tool : tools.entrySet()) {
			String p = "t" + i++ + "-";
			rules.append(GbnfRules.prefixed(toGbnf.apply(tool.getValue()), p)).append('\n');
			alternatives.add(prefix + literal(tool.getKey()) + " " + id + separator + p + "root" + suffix);
		}
		String call = "( " + String.join(" | ", alternatives) + " )";
		return "root ::= " + call + (repeat ? " " + call + "*" : "") + "\n" + rules;
	}

	/**
	 * Calls whose parameters are tagged one by one (Qwen3-Coder, GLM): a string parameter is text without "</",
	 * any other its JSON grammar; required parameters must come, the others may, in the schema's order.
	 */
	private static String xml(Map<String, JsonNode> tools, Function<JsonNode, String> toGbnf, boolean parallel,
			String open, String afterName, String paramOpen, String afterKey, String paramClose, String close) {
		List<String> calls = new ArrayList<>();
		StringBuilder rules = new StringBuilder("xml-text ::= ( [^<] | \"<\" [^/] )*\n");
		int i = 0;
		for (Map.Entry<String, JsonNode> tool : tools.entrySet()) {
			JsonNode schema = tool.getValue();
			StringBuilder call = new StringBuilder(open + literal(tool.getKey()) + afterName);
			Set<String> required = new HashSet<>();
			schema.path("required").forEach(r -> required.add(r.asText()));
			int k = 0;
			for (var props = schema.path("properties").fields(); props.hasNext(); k++) {
				Map.Entry<String, JsonNode> prop = props.next();
				String value;
				JsonNode enumeration = prop.getValue().path("enum");
				if ("string".equals(prop.getValue().path("type").asText()) && enumeration.isArray() && !enumeration.isEmpty()) {
					List<String> options = new ArrayList<>();
					enumeration.forEach(e -> options.add(literal(e.asText())));
					value = "( " + String.join(" | ", options) + " )";
				} else if ("string".equals(prop.getValue().path("type").asText())) {
					value = "xml-text";
				} else {
					String p = "t" + i + "-p" + k + "-";
					ObjectNode standalone = prop.getValue().isObject() ? ((ObjectNode) prop.getValue()).deepCopy()
							: Json.MAPPER.createObjectNode();
					for (String defs : new String[] { "$defs", "definitions" }) {
						if (schema.has(defs)) {
							standalone.set(defs, schema.get(defs));
						}
					}
					rules.append(GbnfRules.prefixed(toGbnf.apply(standalone), p)).append('\n');
					value = p + "root";
				}
				String param = paramOpen + literal(prop.getKey()) + afterKey + value + paramClose;
				call.append(" ").append(required.contains(prop.getKey()) ? param : "( " + param + " )?");
			}
			call.append(" ").append(close);
			calls.add(call.toString());
			i++;
		}
		String any = "( " + String.join(" | ", calls) + " )";
		return "root ::= " + any + (parallel ? " ( \"\\n\" " + any + " )*" : "") + "\n" + rules;
	}

	private static String literal(String s) {
		return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static ObjectNode rename(ObjectNode callSchema, String from, String to) {
		for (JsonNode variant : callSchema.path("anyOf")) {
			ObjectNode props = (ObjectNode) variant.get("properties");
			props.set(to, props.remove(from));
			((ObjectNode) variant).putArray("required").add("name").add(to);
		}
		return callSchema;
	}

	/** Cohere's calls: {"tool_call_id": "0", "tool_name": ..., "parameters": {...}}. */
	private static ObjectNode commandR(ObjectNode callSchema) {
		for (JsonNode v : callSchema.path("anyOf")) {
			ObjectNode variant = (ObjectNode) v;
			ObjectNode props = (ObjectNode) variant.get("properties");
			ObjectNode renamed = variant.putObject("properties");
			renamed.putObject("tool_call_id").put("type", "string").put("pattern", "^[0-9]{1,2}$");
			renamed.set("tool_name", props.get("name"));
			renamed.set("parameters", props.get("arguments"));
			variant.putArray("required").add("tool_call_id").add("tool_name").add("parameters");
		}
		return callSchema;
	}
}
