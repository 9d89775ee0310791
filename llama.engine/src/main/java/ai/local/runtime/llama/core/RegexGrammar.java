package ai.local.runtime.llama.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Schema {@code pattern} as a GBNF expression for the characters of a JSON string, as llama.cpp's
 * converter does it: literals and escapes ({@code \d \w \s} and escaped punctuation), classes with ranges and
 * negation, {@code .}, groups ({@code (...)}, {@code (?:...)}), alternation and the quantifiers
 * {@code * + ? {n} {n,} {n,m}}; the pattern is anchored whether or not it says so (^...$). Characters a JSON string
 * must escape are produced escaped or left out. Lookarounds, back references and other constructs are refused.
 */
final class RegexGrammar {
	/** What {@code .} and negated classes may produce: a character that needs no escape in a JSON string. */
	private static final String EXCLUDED = "\"\\\\\\x00-\\x1F\\x7F";

	private final String re;
	private int pos;

	private RegexGrammar(String re) {
		this.re = re;
	}

	static String of(String pattern) {
		String p = pattern;
		if (p.startsWith("^")) {
			p = p.substring(1);
		}
		if (p.endsWith("$") && !p.endsWith("\\$")) {
			p = p.substring(0, p.length() - 1);
		}
		RegexGrammar g = new RegexGrammar(p);
		String body = g.alternation();
		if (g.pos < p.length()) {
			throw new IllegalArgumentException("the pattern " + pattern + " has an unmatched ')' at " + g.pos);
		}
		return body;
	}

	private String alternation() {
		List<String> alts = new ArrayList<>();
		alts.add(sequence());
		while (pos < re.length() && re.charAt(pos) == '|') {
			pos++;
			alts.add(sequence());
		}
		return alts.size() == 1 ? alts.get(0) : "(" + String.join(" | ", alts) + ")";
	}

	private String sequence() {
		List<String> items = new ArrayList<>();
		while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
			String atom = atom();
			items.add(atom + quantifier());
		}
		return items.isEmpty() ? "\"\"" : String.join(" ", items);
	}

	private String atom() {
		char c = re.charAt(pos++);
		switch (c) {
		case '(' -> {
			if (re.startsWith("?:", pos)) {
				pos += 2;
			} else if (pos < re.length() && re.charAt(pos) == '?') {
				throw unsupported("(?" + (pos + 1 < re.length() ? re.charAt(pos + 1) : ' ') + " (lookaround or flags)");
			}
			String inner = alternation();
			if (pos >= re.length() || re.charAt(pos) != ')') {
				throw new IllegalArgumentException("the pattern " + re + " has an unclosed '('");
			}
			pos++;
			return "(" + inner + ")";
		}
		case '[' -> {
			return charClass();
		}
		case '.' -> {
			return "[^" + EXCLUDED + "]";
		}
		case '\\' -> {
			return escape();
		}
		case '^', '$' -> throw unsupported("an anchor inside the pattern");
		case '*', '+', '?', '{' -> throw unsupported("a quantifier without anything to repeat");
		default -> {
			return literal(c);
		}
		}
	}

	private String escape() {
		if (pos >= re.length()) {
			throw new IllegalArgumentException("the pattern ends with '\\'");
		}
		char c = re.charAt(pos++);
		return switch (c) {
		case 'd' -> "[0-9]";
		case 'D' -> "[^0-9" + EXCLUDED + "]";
		case 'w' -> "[a-zA-Z0-9_]";
		case 'W' -> "[^a-zA-Z0-9_" + EXCLUDED + "]";
		case 's' -> "(\" \" | \"\\\\t\" | \"\\\\n\" | \"\\\\r\")";
		case 'S' -> "[^ " + EXCLUDED + "]";
		case 't' -> "\"\\\\t\"";
		case 'n' -> "\"\\\\n\"";
		case 'r' -> "\"\\\\r\"";
		default -> {
			if (Character.isLetterOrDigit(c)) {
				throw unsupported("\\" + c);
			}
			yield literal(c);
		}
		};
	}

	/** A character as the JSON string writes it, as a GBNF literal. */
	private static String literal(char c) {
		return switch (c) {
		case '"' -> "\"\\\\\\\"\"";
		case '\\' -> "\"\\\\\\\\\"";
		default -> "\"" + gbnf(c) + "\"";
		};
	}

	private String charClass() {
		StringBuilder b = new StringBuilder("[");
		boolean negated = pos < re.length() && re.charAt(pos) == '^';
		if (negated) {
			pos++;
			b.append('^');
		}
		boolean first = true;
		while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
			first = false;
			char c = re.charAt(pos++);
			if (c == '\\' && pos < re.length()) {
				char e = re.charAt(pos++);
				switch (e) {
				case 'd' -> b.append("0-9");
				case 'w' -> b.append("a-zA-Z0-9_");
				case 's' -> b.append(' ');
				default -> {
					if (Character.isLetterOrDigit(e)) {
						throw unsupported("\\" + e + " in a character class");
					}
					if (e != '"' && e != '\\') {
						b.append(classChar(e));
					}
				}
				}
			} else if (c == '"' || c == '\\' || c < 0x20) {
				// a character the JSON string would escape: left out of the class
			} else {
				b.append(c == '-' ? "-" : classChar(c));
			}
		}
		if (pos >= re.length()) {
			throw new IllegalArgumentException("the pattern " + re + " has an unclosed '['");
		}
		pos++;
		if (negated) {
			b.append(EXCLUDED);
		}
		return b.append(']').toString();
	}

	private String quantifier() {
		if (pos >= re.length()) {
			return "";
		}
		char c = re.charAt(pos);
		String q = switch (c) {
		case '*', '+', '?' -> String.valueOf(c);
		case '{' -> {
			int end = re.indexOf('}', pos);
			if (end < 0 || !re.substring(pos + 1, end).matches("\\d+(,\\d*)?")) {
				throw unsupported("the quantifier " + re.substring(pos, end < 0 ? re.length() : end + 1));
			}
			String q0 = re.substring(pos, end + 1);
			pos = end;
			yield q0;
		}
		default -> "";
		};
		if (!q.isEmpty()) {
			pos++;
			if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
				pos++; // lazy or possessive: the same language
			}
		}
		return q;
	}

	private static String classChar(char c) {
		return switch (c) {
		case ']' -> "\\]";
		case '[' -> "\\[";
		case '\\' -> "\\\\";
		case '^' -> "\\^";
		case '-' -> "\\-";
		default -> gbnf(c);
		};
	}

	private static String gbnf(char c) {
		return switch (c) {
		case '"' -> "\\\"";
		case '\\' -> "\\\\";
		default -> c < 0x20 || c == 0x7f ? String.format("\\x%02X", (int) c) : String.valueOf(c);
		};
	}

	private IllegalArgumentException unsupported(String what) {
		return new IllegalArgumentException("'pattern' " + re + ": " + what + " is not supported");
	}
}
