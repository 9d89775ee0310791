package ai.local.runtime.llamacpp;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;

/**
 * Fits a JSON schema's repetition bounds to the completion's token budget before a grammar is built from it:
 * llama.cpp's converter and grammar parser expand {@code maxLength: N} or {@code items{N}} into N copies, so a
 * 200-byte request asking for a string of a billion characters would take gigabytes. A lower bound that cannot be
 * met within the budget is a 400 (no output could satisfy it); an upper bound beyond what the budget can produce
 * is lowered to that (no output could reach it anyway). The schema is changed in place.
 */
final class SchemaBounds {
	/** Characters one token can produce, generously: a bound beyond budget × this cannot be reached. */
	static final int CHARS_PER_TOKEN = 16;
	/** Repetition counts in patterns above this are refused outright. */
	static final int MAX_PATTERN_REPEAT = 10_000;
	private static final Pattern QUANTIFIER = Pattern.compile("\\{(\\d+)(?:,(\\d*))?}");

	private SchemaBounds() {
	}

	/** @param budget the tokens the completion may produce (max_tokens, at most the context) */
	static void fit(JsonNode schema, int budget, String param) {
		visit(schema, Math.max(1, budget), param, 0);
	}

	private static void visit(JsonNode node, int budget, String path, int depth) {
		if (depth > 128) {
			return; // SchemaCheck refuses deeper nesting already
		}
		if (node.isObject()) {
			ObjectNode s = (ObjectNode) node;
			long chars = (long) budget * CHARS_PER_TOKEN;
			bound(s, "minLength", "maxLength", chars, budget, path);
			bound(s, "minItems", "maxItems", budget, budget, path);
			bound(s, "minProperties", "maxProperties", budget, budget, path);
			JsonNode pattern = s.get("pattern");
			if (pattern != null && pattern.isTextual()) {
				Matcher m = QUANTIFIER.matcher(pattern.asText());
				while (m.find()) {
					for (String n : new String[] { m.group(1), m.group(2) }) {
						if (n != null && !n.isEmpty() && (n.length() > 6 || Integer.parseInt(n) > MAX_PATTERN_REPEAT)) {
							throw ApiException.invalidRequest("The JSON schema at " + path + ".pattern repeats "
									+ n + " times; at most " + MAX_PATTERN_REPEAT + " are allowed", path + ".pattern");
						}
					}
				}
			}
			for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> e = it.next();
				visit(e.getValue(), budget, path + "." + e.getKey(), depth + 1);
			}
		} else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				visit(node.get(i), budget, path + "[" + i + "]", depth + 1);
			}
		}
	}

	private static void bound(ObjectNode s, String minName, String maxName, long reachable, int budget, String path) {
		JsonNode min = s.get(minName);
		if (min != null && min.isNumber() && min.asDouble() > reachable) {
			throw ApiException.invalidRequest("The JSON schema at " + path + " asks for " + minName + " "
					+ min.asText() + ", which no answer of at most " + budget + " tokens (max_tokens) can have",
					path + "." + minName);
		}
		JsonNode max = s.get(maxName);
		if (max != null && max.isNumber() && max.asDouble() > reachable) {
			s.put(maxName, reachable);
		}
	}
}
