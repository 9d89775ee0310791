package ai.local.runtime.llama.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON Schema to llama.cpp's GBNF, in the shape of llama.cpp's own converter (common/json-schema-to-grammar):
 * the same primitive rules, {@code space} between tokens, required properties in their order and then the
 * optional ones, {@code additionalProperties} only when the schema allows them. Handles type (and type lists),
 * const, enum, properties/required/additionalProperties, items/prefixItems/minItems/maxItems,
 * minLength/maxLength, pattern (see {@link RegexGrammar}), format (date, time, date-time, uuid), anyOf/oneOf, allOf of objects, and local $ref
 * ({@code #/$defs/...}, {@code #/definitions/...}, recursion included). Numeric bounds, uniqueItems, multipleOf and
 * unknown formats are not enforced, as in llama.cpp. Constructs that decide which values are valid and that this
 * converter cannot express (not, if/then/else, patternProperties ...) are refused with their name.
 */
final class JsonSchemaGrammar {
	private static final ObjectMapper JSON = new ObjectMapper();
	static {
		JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
	}
	private static final Set<String> REFUSED = Set.of("not", "if", "then", "else", "patternProperties",
			"dependentRequired", "dependentSchemas", "propertyNames", "contains", "unevaluatedProperties",
			"unevaluatedItems");
	private final JsonNode root;
	private final Map<String, String> rules = new LinkedHashMap<>();
	private final Set<String> refsDone = new LinkedHashSet<>();

	private JsonSchemaGrammar(JsonNode root) {
		this.root = root;
		rules.put("space", "| \" \" | \"\\n\"{1,2} [ \\t]{0,20}");
	}

	/** The grammar; an IllegalArgumentException naming the construct it cannot translate. */
	static String of(String schema) {
		JsonNode root;
		try {
			root = JSON.readTree(schema);
		} catch (IOException e) {
			throw new IllegalArgumentException("the schema is not valid JSON");
		}
		JsonSchemaGrammar g = new JsonSchemaGrammar(root);
		String body = g.visit(root, "", "root");
		g.rules.put("root", body);
		StringBuilder out = new StringBuilder();
		for (Map.Entry<String, String> r : g.rules.entrySet()) {
			out.append(r.getKey()).append(" ::= ").append(r.getValue()).append('\n');
		}
		return out.toString();
	}

	/** The rule body for a schema at {@code path}; named sub-rules are added on the way. */
	private String visit(JsonNode s, String path, String name) {
		if (s == null || s.isBoolean() && s.asBoolean() || s.isObject() && s.isEmpty()) {
			return primitive("value");
		}
		if (s.isBoolean()) {
			throw new IllegalArgumentException("the schema 'false' at " + where(path) + " allows no value");
		}
		if (!s.isObject()) {
			throw new IllegalArgumentException("the schema at " + where(path) + " is not an object");
		}
		for (Iterator<String> it = s.fieldNames(); it.hasNext();) {
			String key = it.next();
			if (REFUSED.contains(key)) {
				throw new IllegalArgumentException("'" + key + "' (at " + where(path) + ") is not supported in schemas that constrain generation");
			}
		}
		if (s.has("$ref")) {
			return ref(s.get("$ref").asText(), path);
		}
		if (s.has("const")) {
			return literal(s.get("const"));
		}
		if (s.has("enum")) {
			List<String> alts = new ArrayList<>();
			s.get("enum").forEach(v -> alts.add(literal(v)));
			if (alts.isEmpty()) {
				throw new IllegalArgumentException("'enum' at " + where(path) + " is empty");
			}
			return "(" + String.join(" | ", alts) + ")";
		}
		for (String key : new String[] { "anyOf", "oneOf" }) {
			if (s.has(key)) {
				List<String> alts = new ArrayList<>();
				JsonNode list = s.get(key);
				for (int i = 0; i < list.size(); i++) {
					alts.add(rule(name + "-" + i, visit(withSiblings(s, key, list.get(i)), path + "/" + key + "/" + i, name + "-" + i)));
				}
				return alts.isEmpty() ? primitive("value") : String.join(" | ", alts);
			}
		}
		if (s.has("allOf")) {
			return visit(mergeAll(s, path), path, name);
		}
		JsonNode type = s.get("type");
		if (type != null && type.isArray()) {
			List<String> alts = new ArrayList<>();
			for (JsonNode t : type) {
				var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) s.deepCopy()).put("type", t.asText());
				alts.add(rule(name + "-" + t.asText(), visit(copy, path, name + "-" + t.asText())));
			}
			return String.join(" | ", alts);
		}
		String t = type == null ? (s.has("properties") ? "object" : s.has("items") || s.has("prefixItems") ? "array" : null)
				: type.asText();
		if (t == null) {
			return primitive("value");
		}
		return switch (t) {
		case "object" -> object(s, path, name);
		case "array" -> array(s, path, name);
		case "string" -> string(s, path);
		case "number" -> primitive("number");
		case "integer" -> integer(s, path);
		case "boolean" -> primitive("boolean");
		case "null" -> primitive("null");
		default -> throw new IllegalArgumentException("type '" + t + "' at " + where(path) + " is not a JSON Schema type");
		};
	}

	/** anyOf/oneOf branches inherit the sibling keywords (type, properties ...) of the schema that holds them. */
	private static JsonNode withSiblings(JsonNode s, String key, JsonNode branch) {
		if (!branch.isObject() || s.size() == 1) {
			return branch;
		}
		var merged = (com.fasterxml.jackson.databind.node.ObjectNode) s.deepCopy();
		merged.remove(key);
		merged.remove("$defs");
		merged.remove("definitions");
		branch.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
		return merged;
	}

	private JsonNode mergeAll(JsonNode s, String path) {
		var merged = (com.fasterxml.jackson.databind.node.ObjectNode) s.deepCopy();
		merged.remove("allOf");
		var props = merged.has("properties") ? (com.fasterxml.jackson.databind.node.ObjectNode) merged.get("properties")
				: merged.putObject("properties");
		var required = merged.has("required") ? (com.fasterxml.jackson.databind.node.ArrayNode) merged.get("required")
				: merged.putArray("required");
		for (JsonNode part : s.get("allOf")) {
			JsonNode p = part.has("$ref") ? resolve(part.get("$ref").asText(), path) : part;
			if (!p.has("properties") && !"object".equals(p.path("type").asText())) {
				throw new IllegalArgumentException("'allOf' at " + where(path) + " combines schemas other than objects, which is not supported");
			}
			p.path("properties").fields().forEachRemaining(e -> props.set(e.getKey(), e.getValue()));
			p.path("required").forEach(required::add);
		}
		merged.put("type", "object");
		return merged;
	}

	private String object(JsonNode s, String path, String name) {
		JsonNode props = s.path("properties");
		Set<String> required = new LinkedHashSet<>();
		s.path("required").forEach(r -> required.add(r.asText()));
		List<String> req = new ArrayList<>();
		List<String> opt = new ArrayList<>();
		for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> e = it.next();
			String propName = name + "-" + e.getKey();
			String value = rule(propName, visit(e.getValue(), path + "/properties/" + e.getKey(), propName));
			String kv = rule(propName + "-kv", literal(JSON.getNodeFactory().textNode(e.getKey())) + " \":\" space " + value);
			(required.contains(e.getKey()) ? req : opt).add(kv);
		}
		JsonNode additional = s.get("additionalProperties");
		if (additional != null && !(additional.isBoolean() && !additional.asBoolean()) || props.isEmpty() && additional == null) {
			String value = additional == null || additional.isBoolean() ? primitive("value")
					: rule(name + "-additional-value", visit(additional, path + "/additionalProperties", name + "-additional"));
			String kv = rule(name + "-additional-kv", primitive("string") + " \":\" space " + value);
			opt.add(rule(name + "-additional-kvs", kv + " ( \",\" space " + kv + " )*"));
		}
		StringBuilder body = new StringBuilder("\"{\" space ");
		if (!req.isEmpty()) {
			body.append(String.join(" \",\" space ", req));
			for (String o : opt) {
				body.append(" ( \",\" space ").append(o).append(" )?");
			}
		} else if (!opt.isEmpty()) {
			List<String> alts = new ArrayList<>();
			for (int i = 0; i < opt.size(); i++) {
				StringBuilder a = new StringBuilder(opt.get(i));
				for (int j = i + 1; j < opt.size(); j++) {
					a.append(" ( \",\" space ").append(opt.get(j)).append(" )?");
				}
				alts.add(a.toString());
			}
			body.append("( ").append(String.join(" | ", alts)).append(" )?");
		}
		return body.append(" \"}\" space").toString();
	}

	private String array(JsonNode s, String path, String name) {
		if (s.has("prefixItems")) {
			List<String> items = new ArrayList<>();
			JsonNode list = s.get("prefixItems");
			for (int i = 0; i < list.size(); i++) {
				items.add(rule(name + "-tuple-" + i, visit(list.get(i), path + "/prefixItems/" + i, name + "-tuple-" + i)));
			}
			return "\"[\" space " + String.join(" \",\" space ", items) + " \"]\" space";
		}
		String item = rule(name + "-item", visit(s.get("items"), path + "/items", name + "-item"));
		int min = s.path("minItems").asInt(0);
		int max = s.has("maxItems") ? s.get("maxItems").asInt() : -1;
		return "\"[\" space " + repeat(item, " \",\" space ", min, max) + " \"]\" space";
	}

	private String string(JsonNode s, String path) {
		if (s.has("pattern")) {
			try {
				return "\"\\\"\" " + RegexGrammar.of(s.get("pattern").asText()) + " \"\\\"\" space";
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException(e.getMessage() + " (at " + where(path) + ")");
			}
		}
		String format = s.path("format").asText("");
		switch (format) {
		case "date", "time", "date-time" -> {
			return primitive(format + "-string");
		}
		case "uuid" -> {
			return primitive("uuid");
		}
		default -> {
			// other formats (email, uri ...) are not checked by llama.cpp either: any string
		}
		}
		if (!s.has("minLength") && !s.has("maxLength")) {
			return primitive("string");
		}
		primitive("char");
		int min = s.path("minLength").asInt(0);
		int max = s.has("maxLength") ? s.get("maxLength").asInt() : -1;
		return "\"\\\"\" char{" + min + "," + (max < 0 ? "" : max) + "} \"\\\"\" space";
	}

	/** An integer, within minimum/maximum (and their exclusive forms) when the schema has them. */
	private String integer(JsonNode s, String path) {
		Long min = bound(s, "minimum", "exclusiveMinimum", 1, path);
		Long max = bound(s, "maximum", "exclusiveMaximum", -1, path);
		if (min == null && max == null) {
			return primitive("integer");
		}
		if (min != null && max != null && min > max) {
			throw new IllegalArgumentException("at " + where(path) + " no integer lies between minimum " + min + " and maximum " + max);
		}
		return "(" + IntegerRange.of(min, max) + ") space";
	}

	/** An inclusive bound: the keyword, or its exclusive form moved by {@code step}; null when absent. */
	private static Long bound(JsonNode s, String inclusive, String exclusive, int step, String path) {
		Long value = null;
		JsonNode in = s.get(inclusive);
		JsonNode ex = s.get(exclusive);
		if (in != null && in.isNumber()) {
			value = step > 0 ? (long) Math.ceil(in.asDouble()) : (long) Math.floor(in.asDouble());
		}
		if (ex != null && ex.isNumber()) {
			double d = ex.asDouble();
			long e = step > 0 ? (long) Math.floor(d) + 1 : (long) Math.ceil(d) - 1;
			value = value == null ? e : step > 0 ? Math.max(value, e) : Math.min(value, e);
		} else if (ex != null && ex.isBoolean() && ex.asBoolean() && value != null) {
			value += step; // draft 4: exclusiveMinimum true makes minimum exclusive
		}
		if (value != null && Math.abs(value) > 999_999_999_999_999L) {
			throw new IllegalArgumentException("'" + inclusive + "' at " + where(path) + " is beyond the 16 digits an integer may have");
		}
		return value;
	}

	/** {@code item} repeated min..max times (max -1: unbounded) with {@code separator} between. */
	private static String repeat(String item, String separator, int min, int max) {
		if (max == 0) {
			return "";
		}
		if (min == 0) {
			String rest = max < 0 ? "*" : max == 1 ? "{0,0}" : "{0," + (max - 1) + "}";
			return max == 1 ? "( " + item + " )?" : "( " + item + " ( " + separator + item + " )" + rest + " )?";
		}
		String rest = max < 0 ? "{" + (min - 1) + ",}" : "{" + (min - 1) + "," + (max - 1) + "}";
		return item + " ( " + separator + item + " )" + rest;
	}

	private String ref(String ref, String path) {
		String name = "ref-" + sanitize(ref.replaceFirst("^#/(\\$defs|definitions)/", ""));
		if (refsDone.add(ref)) {
			rules.put(name, "\"\""); // placeholder: recursion refers to the name
			rules.put(name, visit(resolve(ref, path), ref, name));
		}
		return name;
	}

	private JsonNode resolve(String ref, String path) {
		if (!ref.startsWith("#")) {
			throw new IllegalArgumentException("'$ref' " + ref + " (at " + where(path) + ") is not local to the schema; only #/... references are supported");
		}
		JsonNode target = root.at(ref.substring(1));
		if (target.isMissingNode()) {
			throw new IllegalArgumentException("'$ref' " + ref + " (at " + where(path) + ") points at nothing");
		}
		return target;
	}

	private String rule(String name, String body) {
		String key = sanitize(name);
		if (body.matches("[a-zA-Z0-9-]+")) {
			return body; // already a rule name
		}
		for (Map.Entry<String, String> r : rules.entrySet()) {
			if (r.getValue().equals(body) && !r.getKey().equals("root")) {
				return r.getKey();
			}
		}
		String unique = key;
		for (int i = 1; rules.containsKey(unique) || GbnfPrimitives.RULES.containsKey(unique) || unique.equals("root"); i++) {
			unique = key + i;
		}
		rules.put(unique, body);
		return unique;
	}

	private String primitive(String name) {
		if (!rules.containsKey(name)) {
			rules.put(name, GbnfPrimitives.RULES.get(name));
			for (String d : GbnfPrimitives.DEPENDS.getOrDefault(name, List.of())) {
				primitive(d);
			}
		}
		return name;
	}

	private static String literal(JsonNode v) {
		try {
			return quote(JSON.writeValueAsString(v)) + " space";
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A GBNF string literal of {@code text} (JSON text, so already escaped for JSON). */
	private static String quote(String text) {
		StringBuilder b = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
			case '"' -> b.append("\\\"");
			case '\\' -> b.append("\\\\");
			case '\n' -> b.append("\\n");
			case '\r' -> b.append("\\r");
			case '\t' -> b.append("\\t");
			default -> b.append(c);
			}
		}
		return b.append('"').toString();
	}

	private static String sanitize(String name) {
		String s = name.replaceAll("[^a-zA-Z0-9-]+", "-");
		return s.isEmpty() ? "r" : s;
	}

	private static String where(String path) {
		return path.isEmpty() ? "the root" : path;
	}
}
