package ai.local.runtime.llamacpp;

import ai.local.runtime.api.ApiException;

/**
 * llama-server's {@code grammar} request field: GBNF the output must follow, checked before llama.cpp parses it.
 * Its parser descends once per nested group, on a thread's native stack, so the nesting is bounded here.
 */
final class UserGrammar {
	static final int MAX_NESTING = 128;

	private UserGrammar() {
	}

	/** The request's grammar, or null without one. */
	static String of(Object value) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof String g) || g.isBlank()) {
			throw ApiException.invalidRequest("grammar is a GBNF text (llama.cpp's grammar format)", "grammar");
		}
		if (g.length() > OutputFormat.MAX_GRAMMAR_CHARS) {
			throw ApiException.invalidRequest("grammar takes " + g.length() + " characters; at most "
					+ OutputFormat.MAX_GRAMMAR_CHARS + " are allowed", "grammar");
		}
		if (nesting(g) > MAX_NESTING) {
			throw ApiException.invalidRequest("grammar nests groups more than " + MAX_NESTING + " deep", "grammar");
		}
		return g;
	}

	/** The deepest nesting of parentheses outside quoted literals, character classes and comments. */
	static int nesting(String g) {
		int depth = 0, deepest = 0;
		for (int i = 0; i < g.length(); i++) {
			char c = g.charAt(i);
			if (c == '"' || c == '[') {
				char close = c == '"' ? '"' : ']';
				for (i++; i < g.length() && g.charAt(i) != close; i++) {
					if (g.charAt(i) == '\\') {
						i++;
					}
				}
			} else if (c == '#') {
				while (i < g.length() && g.charAt(i) != '\n') {
					i++;
				}
			} else if (c == '(') {
				deepest = Math.max(deepest, ++depth);
			} else if (c == ')') {
				depth--;
			}
		}
		return deepest;
	}
}
