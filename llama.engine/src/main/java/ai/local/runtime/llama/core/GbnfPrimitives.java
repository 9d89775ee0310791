package ai.local.runtime.llama.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** llama.cpp's primitive JSON rules (common/json-schema-to-grammar), and which other rules each one uses. */
final class GbnfPrimitives {

	private GbnfPrimitives() {
	}

	static final Map<String, String> RULES = new LinkedHashMap<>();
	static {
		RULES.put("boolean", "(\"true\" | \"false\") space");
		RULES.put("decimal-part", "[0-9]{1,16}");
		RULES.put("integral-part", "[0] | [1-9] [0-9]{0,15}");
		RULES.put("number", "(\"-\"? integral-part) (\".\" decimal-part)? ([eE] [-+]? integral-part)? space");
		RULES.put("integer", "(\"-\"? integral-part) space");
		RULES.put("value", "object | array | string | number | boolean | null");
		RULES.put("object", "\"{\" space ( string \":\" space value (\",\" space string \":\" space value)* )? \"}\" space");
		RULES.put("array", "\"[\" space ( value (\",\" space value)* )? \"]\" space");
		RULES.put("uuid", "\"\\\"\" [0-9a-fA-F]{8} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{12} \"\\\"\" space");
		RULES.put("char", "[^\"\\\\\\x7F\\x00-\\x1F] | [\\\\] ([\"\\\\bfnrt] | \"u\" [0-9a-fA-F]{4})");
		RULES.put("string", "\"\\\"\" char* \"\\\"\" space");
		RULES.put("null", "\"null\" space");
		RULES.put("date", "[0-9]{4} \"-\" ( \"0\" [1-9] | \"1\" [0-2] ) \"-\" ( \"0\" [1-9] | [1-2] [0-9] | \"3\" [0-1] )");
		RULES.put("time", "([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9] \":\" [0-5] [0-9] ( \".\" [0-9]{3} )? ( \"Z\" | ( \"+\" | \"-\" ) ( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] )");
		RULES.put("date-time", "date \"T\" time");
		RULES.put("date-string", "\"\\\"\" date \"\\\"\" space");
		RULES.put("time-string", "\"\\\"\" time \"\\\"\" space");
		RULES.put("date-time-string", "\"\\\"\" date-time \"\\\"\" space");
	}
	static final Map<String, List<String>> DEPENDS = Map.of("number", List.of("integral-part", "decimal-part"),
			"integer", List.of("integral-part"), "value", List.of("object", "array", "string", "number", "boolean", "null"),
			"object", List.of("string", "value"), "array", List.of("value"), "string", List.of("char"),
			"date-time", List.of("date", "time"), "date-string", List.of("date"), "time-string", List.of("time"),
			"date-time-string", List.of("date-time"));
}
