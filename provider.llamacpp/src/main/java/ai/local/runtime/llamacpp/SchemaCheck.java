package ai.local.runtime.llamacpp;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;

/**
 * Accepts only JSON schemas of the shapes the schema-to-grammar converter knows (types, properties, items, enum,
 * const, anyOf/oneOf/allOf, local $ref, lengths, bounds) and answers 400 naming what it does not, before any
 * grammar is built.
 */
final class SchemaCheck {
	private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
	private static final Set<String> KNOWN = Set.of("type", "properties", "required", "additionalProperties", "items",
			"prefixItems", "minItems", "maxItems", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "pattern",
			"minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format",
			"description", "title", "default", "examples", "$schema", "$id", "$defs", "definitions", "$comment",
			"strict", "name", "uniqueItems", "readOnly", "writeOnly", "deprecated", "nullable", "multipleOf");

	private SchemaCheck() {
	}

	static void check(JsonNode root, String param) {
		visit(root, root, param, 0);
	}

	private static void visit(JsonNode root, JsonNode s, String path, int depth) {
		if (depth > 64) {
			throw bad(path, "nests too deeply");
		}
		if (!s.isObject()) {
			throw bad(path, "must be a JSON object");
		}
		for (Iterator<String> names = s.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!KNOWN.contains(name) && !name.startsWith("x-")) {
				throw bad(path, "uses '" + name + "', which llama.cpp's grammar conversion does not support");
			}
		}
		JsonNode ref = s.get("$ref");
		if (ref != null) {
			if (!ref.isTextual() || !ref.asText().startsWith("#/") || resolve(root, ref.asText()) == null) {
				throw bad(path, "has a $ref that does not point into this schema: " + ref);
			}
		}
		JsonNode type = s.get("type");
		if (type != null) {
			if (type.isArray()) {
				for (JsonNode t : type) {
					checkType(t, path);
				}
			} else {
				checkType(type, path);
			}
		}
		for (String list : new String[] { "anyOf", "oneOf", "allOf", "prefixItems" }) {
			JsonNode alternatives = s.get(list);
			if (alternatives != null) {
				if (!alternatives.isArray() || alternatives.isEmpty()) {
					throw bad(path + "." + list, "must be a non-empty array");
				}
				for (int i = 0; i < alternatives.size(); i++) {
					visit(root, alternatives.get(i), path + "." + list + "[" + i + "]", depth + 1);
				}
			}
		}
		JsonNode enums = s.get("enum");
		if (enums != null && (!enums.isArray() || enums.isEmpty())) {
			throw bad(path + ".enum", "must be a non-empty array");
		}
		JsonNode properties = s.get("properties");
		if (properties != null) {
			if (!properties.isObject()) {
				throw bad(path + ".properties", "must be an object");
			}
			for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
				var e = it.next();
				visit(root, e.getValue(), path + ".properties." + e.getKey(), depth + 1);
			}
		}
		JsonNode additional = s.get("additionalProperties");
		if (additional != null && !additional.isBoolean()) {
			visit(root, additional, path + ".additionalProperties", depth + 1);
		}
		JsonNode items = s.get("items");
		if (items != null && !items.isBoolean()) {
			if (items.isArray()) {
				for (int i = 0; i < items.size(); i++) {
					visit(root, items.get(i), path + ".items[" + i + "]", depth + 1);
				}
			} else {
				visit(root, items, path + ".items", depth + 1);
			}
		}
		for (String defs : new String[] { "$defs", "definitions" }) {
			JsonNode d = s.get(defs);
			if (d != null) {
				for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext();) {
					var e = it.next();
					visit(root, e.getValue(), path + "." + defs + "." + e.getKey(), depth + 1);
				}
			}
		}
		JsonNode pattern = s.get("pattern");
		if (pattern != null) {
			checkPattern(pattern, path);
		}
	}

	private static void checkType(JsonNode t, String path) {
		if (!t.isTextual() || !TYPES.contains(t.asText())) {
			throw bad(path + ".type", "must be one of " + TYPES + ", not " + t);
		}
	}

	/**
	 * A valid regular expression without lookarounds or backreferences. The grammar matches it whole, anchored or
	 * not: a whole match also satisfies an unanchored pattern.
	 */
	private static void checkPattern(JsonNode pattern, String path) {
		String p = pattern.asText();
		if (!pattern.isTextual()) {
			throw bad(path + ".pattern", "must be a string");
		}
		if (p.matches(".*\\(\\?(?!:).*") || p.matches(".*\\\\[1-9].*")) {
			throw bad(path + ".pattern", "uses lookarounds or backreferences, which grammars cannot express");
		}
		try {
			Pattern.compile(p);
		} catch (PatternSyntaxException e) {
			throw bad(path + ".pattern", "is not a valid regular expression: " + e.getDescription());
		}
	}

	private static JsonNode resolve(JsonNode root, String ref) {
		JsonNode n = root.at(ref.substring(1));
		return n.isMissingNode() ? null : n;
	}

	private static ApiException bad(String path, String problem) {
		return ApiException.invalidRequest("The JSON schema at " + path + " " + problem, path);
	}
}
