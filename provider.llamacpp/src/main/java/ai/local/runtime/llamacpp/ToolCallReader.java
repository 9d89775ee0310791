package ai.local.runtime.llamacpp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.ToolCallDelta;

/**
 * Reads the generic tool-call JSON (see {@link OutputFormat}) while it is generated and streams it on as it
 * arrives: {@code {"response": "..."}} becomes assistant text, each element of {@code {"tool_calls": [...]}}
 * a tool-call start delta (index, id, name) followed by fragments of its raw arguments JSON. The grammar
 * guarantees the shape; the reader only has to cope with where a piece happens to end.
 */
final class ToolCallReader {
	private static final SecureRandom RANDOM = new SecureRandom();
	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private final ChatSink sink;
	private final StringBuilder buffer = new StringBuilder();
	private final List<Integer> argumentsSent = new ArrayList<>();
	private int textSent;

	ToolCallReader(ChatSink sink) {
		this.sink = sink;
	}

	void accept(String piece) {
		buffer.append(piece);
		Cursor c = new Cursor(buffer);
		if (!c.skip('{')) {
			return;
		}
		String key = c.string();
		if (key == null || !c.skip(':')) {
			return;
		}
		if (key.equals("response")) {
			c.ws();
			String text = c.partialString();
			if (text != null && text.length() > textSent) {
				sink.text(text.substring(textSent));
				textSent = text.length();
			}
		} else if (key.equals("tool_calls") && c.skip('[')) {
			calls(c);
		}
	}

	int calls() {
		return argumentsSent.size();
	}

	/** Whether the generated document was closed; a cut one may hold a call whose arguments never ended. */
	boolean complete() {
		Cursor c = new Cursor(buffer);
		c.ws();
		return c.pos < buffer.length() && buffer.charAt(c.pos) == '{' && c.valueEnd() >= 0;
	}

	private void calls(Cursor c) {
		for (int index = 0;; index++) {
			if (!c.skip('{') || !"name".equals(c.string()) || !c.skip(':')) {
				return;
			}
			String name = c.string();
			if (name == null || !c.skip(',') || !"arguments".equals(c.string()) || !c.skip(':')) {
				return;
			}
			if (index == argumentsSent.size()) {
				sink.toolCall(ToolCallDelta.start(index, newId(), name));
				argumentsSent.add(0);
			}
			c.ws();
			int start = c.pos;
			int end = c.valueEnd();
			String raw = buffer.substring(start, end < 0 ? buffer.length() : end);
			if (raw.length() > argumentsSent.get(index)) {
				sink.toolCall(ToolCallDelta.arguments(index, raw.substring(argumentsSent.get(index))));
				argumentsSent.set(index, raw.length());
			}
			if (end < 0) {
				return;
			}
			c.pos = end;
			if (!c.skip('}') || !c.skip(',')) {
				return;
			}
		}
	}

	private static String newId() {
		StringBuilder b = new StringBuilder("call_");
		for (int i = 0; i < 24; i++) {
			b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return b.toString();
	}

	/** A position in the partial JSON; every read returns null/false/-1 where the text ends too early. */
	private static final class Cursor {
		final CharSequence s;
		int pos;

		Cursor(CharSequence s) {
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
}
