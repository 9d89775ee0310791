package ai.local.runtime.llamacpp;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A grammar that forces tool calls in a model's own syntax (tool_choice required or a named function): the
 * syntax's tags around JSON calls whose arguments follow each tool's schema. Null for a syntax it has none for;
 * the caller then uses the generic JSON format.
 */
final class NativeToolGrammar {
	private NativeToolGrammar() {
	}

	/**
	 * @param callSchema one call: any of {"name": const, "arguments": schema}
	 * @param toGbnf the JSON schema to GBNF converter (root rule {@code root})
	 */
	static String of(ToolSyntax syntax, ObjectNode callSchema, boolean parallel, Function<JsonNode, String> toGbnf) {
		String root = switch (syntax) {
		case HERMES -> "root ::= \"<tool_call>\\n\" tool-call \"\\n</tool_call>\""
				+ (parallel ? " ( \"\\n<tool_call>\\n\" tool-call \"\\n</tool_call>\" )*" : "");
		case LLAMA3 -> "root ::= tool-call";
		case GRANITE -> "root ::= \"<|tool_call|>[\" tool-call" + (parallel ? " ( \", \" tool-call )*" : "") + " \"]\"";
		default -> null;
		};
		if (root == null) {
			return null;
		}
		if (syntax == ToolSyntax.LLAMA3) {
			// Llama 3 writes {"name": ..., "parameters": {...}}
			for (JsonNode variant : callSchema.path("anyOf")) {
				ObjectNode props = (ObjectNode) variant.get("properties");
				props.set("parameters", props.remove("arguments"));
				((ObjectNode) variant).putArray("required").add("name").add("parameters");
			}
		}
		String call = toGbnf.apply(callSchema).replaceFirst("(?m)^root ::=", "tool-call ::=");
		return root + "\n" + call;
	}
}
