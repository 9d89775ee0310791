package ai.local.runtime.llamacpp;

/** A position in the partial JSON; every read returns null/false/-1 where the text ends too early. */
final class JsonCursor {
	final CharSequence s;
	int pos;

	JsonCursor(CharSequence s) {
		this.s = s;
	}

	void ws() {
		while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
			pos++;
		}
	}

	boolean skip(char expected) {
		ws();
		if (pos < s.length() && s.charAt(pos) == expected) {
			pos++;
			return true;
		}
		return false;
	}

	/** A whole string literal, decoded; null if it is not complete yet. */
	String string() {
		ws();
		int at = pos;
		StringBuilder out = new StringBuilder();
		if (decode(out)) {
			return out.toString();
		}
		pos = at;
		return null;
	}

	/** The decoded content of a string literal so far (complete escapes only). */
	String partialString() {
		StringBuilder out = new StringBuilder();
		decode(out);
		return pos == 0 && out.length() == 0 ? null : out.toString();
	}

	/** Decodes from an opening quote; true when the closing quote was reached. */
	private boolean decode(StringBuilder out) {
		if (pos >= s.length() || s.charAt(pos) != '"') {
			return false;
		}
		int i = pos + 1;
		while (i < s.length()) {
			char ch = s.charAt(i);
			if (ch == '"') {
				pos = i + 1;
				return true;
			}
			if (ch != '\\') {
				out.append(ch);
				i++;
				continue;
			}
			if (i + 1 >= s.length()) {
				return false;
			}
			char e = s.charAt(i + 1);
			if (e == 'u') {
				if (i + 6 > s.length()) {
					return false;
				}
				out.append((char) Integer.parseInt(s.subSequence(i + 2, i + 6).toString(), 16));
				i += 6;
				continue;
			}
			out.append(switch (e) {
			case 'n' -> '\n';
			case 't' -> '\t';
			case 'r' -> '\r';
			case 'b' -> '\b';
			case 'f' -> '\f';
			default -> e;
			});
			i += 2;
		}
		return false;
	}

	/** Where the JSON value starting here ends, or -1 if it does not end within the text yet. */
	int valueEnd() {
		int depth = 0;
		boolean inString = false;
		for (int i = pos; i < s.length(); i++) {
			char ch = s.charAt(i);
			if (inString) {
				if (ch == '\\') {
					i++;
				} else if (ch == '"') {
					inString = false;
					if (depth == 0) {
						return i + 1;
					}
				}
			} else if (ch == '"') {
				inString = true;
			} else if (ch == '{' || ch == '[') {
				depth++;
			} else if (ch == '}' || ch == ']') {
				if (depth == 0) {
					return i;
				}
				if (--depth == 0) {
					return i + 1;
				}
			} else if (depth == 0 && (ch == ',' || Character.isWhitespace(ch)) && i > pos) {
				return i;
			}
		}
		return -1;
	}
}
