package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.chat.template.TemplateException;

/**
 * Template source to tokens, with the whitespace rules of transformers' environment: {@code trim_blocks} (the
 * newline after a block or comment tag goes), {@code lstrip_blocks} (spaces and tabs before a block or comment
 * tag at the start of a line go, unless the tag opens with {@code +}), and {@code -} on either side of a tag
 * stripping all whitespace on that side.
 */
final class Lexer {
	enum Kind {
		TEXT, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INT, FLOAT, OP, EOF
	}

	record Token(Kind kind, String text, int line) {
		boolean is(Kind k, String t) {
			return kind == k && text.equals(t);
		}

		boolean isName(String t) {
			return is(Kind.NAME, t);
		}

		boolean isOp(String t) {
			return is(Kind.OP, t);
		}
	}

	private static final String[] OPERATORS = { "//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~",
			"<", ">", "=", ".", ",", ":", "|", "(", ")", "[", "]", "{", "}" };

	private final String src;
	private final List<Token> tokens = new ArrayList<>();
	private int pos;
	private int line = 1;
	/** The previous tag ended a line (trim_blocks took its newline) or nothing came yet: lstrip may apply. */
	private boolean lineStarting = true;

	private Lexer(String src) {
		this.src = src.replace("\r\n", "\n");
	}

	static List<Token> tokenize(String src) {
		Lexer l = new Lexer(src);
		l.run();
		return l.tokens;
	}

	private void run() {
		boolean stripNext = false;
		while (pos < src.length()) {
			int open = nextTag(pos);
			String text = src.substring(pos, open < 0 ? src.length() : open);
			if (stripNext) {
				text = text.stripLeading();
				stripNext = false;
			}
			if (open < 0) {
				emitText(text);
				pos = src.length();
				break;
			}
			char kind = src.charAt(open + 1);
			char mod = open + 2 < src.length() ? src.charAt(open + 2) : 0;
			if (mod == '-') {
				text = rstrip(text);
			} else if (kind != '{' && mod != '+') {
				text = lstripBlock(text);
			}
			emitText(text);
			line += count(src, pos, open);
			pos = open + 2 + (mod == '-' || mod == '+' ? 1 : 0);
			if (kind == '#') {
				int end = src.indexOf("#}", pos);
				if (end < 0) {
					throw error("a comment is not closed");
				}
				boolean strip = src.charAt(end - 1) == '-';
				line += count(src, pos, end);
				pos = end + 2;
				if (strip) {
					stripNext = true;
					lineStarting = false;
				} else if (src.charAt(end - 1) == '+') {
					lineStarting = false;
				} else {
					trimNewline();
				}
			} else if (kind == '%' && isRaw()) {
				raw();
			} else {
				stripNext = tag(kind == '{');
			}
		}
		tokens.add(new Token(Kind.EOF, "", line));
	}

	/** trim_blocks: the newline right after a block or comment tag is dropped. */
	private boolean trimNewline() {
		if (pos < src.length() && src.charAt(pos) == '\n') {
			pos++;
			line++;
			lineStarting = true;
			return true;
		}
		lineStarting = false;
		return false;
	}

	/** Tokens of one tag; true when it ends with '-' (strip the whitespace after it). */
	private boolean tag(boolean variable) {
		tokens.add(new Token(variable ? Kind.VAR_BEGIN : Kind.BLOCK_BEGIN, "", line));
		int depth = 0;
		while (true) {
			skipSpace();
			if (pos >= src.length()) {
				throw error("a tag is not closed");
			}
			if (depth == 0) {
				String close = variable ? "}}" : "%}";
				for (String marker : new String[] { "-" + close, "+" + close, close }) {
					if (src.startsWith(marker, pos)) {
						pos += marker.length();
						tokens.add(new Token(variable ? Kind.VAR_END : Kind.BLOCK_END, "", line));
						if (marker.charAt(0) == '-') {
							lineStarting = false;
							return true;
						}
						if (variable) {
							lineStarting = false;
						} else if (marker.charAt(0) == '+') {
							lineStarting = false;
						} else {
							trimNewline();
						}
						return false;
					}
				}
			}
			char c = src.charAt(pos);
			if (Character.isLetter(c) || c == '_') {
				int start = pos;
				while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
					pos++;
				}
				tokens.add(new Token(Kind.NAME, src.substring(start, pos), line));
			} else if (Character.isDigit(c)) {
				number();
			} else if (c == '"' || c == '\'') {
				string(c);
			} else {
				String op = null;
				for (String o : OPERATORS) {
					if (src.startsWith(o, pos)) {
						op = o;
						break;
					}
				}
				if (op == null) {
					throw error("unexpected character '" + c + "'");
				}
				if (op.equals("(") || op.equals("[") || op.equals("{")) {
					depth++;
				} else if ((op.equals(")") || op.equals("]") || op.equals("}")) && depth > 0) {
					depth--;
				}
				pos += op.length();
				tokens.add(new Token(Kind.OP, op, line));
			}
		}
	}

	private void number() {
		int start = pos;
		while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
			pos++;
		}
		boolean isFloat = false;
		if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
			isFloat = true;
			pos++;
			while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
				pos++;
			}
		}
		if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
			int save = pos++;
			if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
				pos++;
			}
			if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
				isFloat = true;
				while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
					pos++;
				}
			} else {
				pos = save;
			}
		}
		tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INT, src.substring(start, pos).replace("_", ""), line));
	}

	/** A Python string literal, its escapes decoded. */
	private void string(char quote) {
		StringBuilder b = new StringBuilder();
		int i = pos + 1;
		while (true) {
			if (i >= src.length()) {
				throw error("a string is not closed");
			}
			char c = src.charAt(i);
			if (c == quote) {
				break;
			}
			if (c == '\n') {
				line++;
			}
			if (c != '\\' || i + 1 >= src.length()) {
				b.append(c);
				i++;
				continue;
			}
			char e = src.charAt(i + 1);
			i += 2;
			switch (e) {
			case 'n' -> b.append('\n');
			case 't' -> b.append('\t');
			case 'r' -> b.append('\r');
			case 'b' -> b.append('\b');
			case 'f' -> b.append('\f');
			case 'v' -> b.append('\u000b');
			case 'a' -> b.append('\u0007');
			case '0' -> b.append('\0');
			case '\\', '\'', '"' -> b.append(e);
			case '\n' -> line++;
			case 'x', 'u', 'U' -> {
				int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
				if (i + n > src.length()) {
					throw error("a truncated \\" + e + " escape");
				}
				b.appendCodePoint(Integer.parseInt(src.substring(i, i + n), 16));
				i += n;
			}
			default -> b.append('\\').append(e);
			}
		}
		pos = i + 1;
		tokens.add(new Token(Kind.STRING, b.toString(), line));
	}

	private boolean isRaw() {
		int i = pos;
		while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
			i++;
		}
		return src.startsWith("raw", i) && i + 3 < src.length() && !Character.isLetterOrDigit(src.charAt(i + 3));
	}

	private void raw() {
		int close = src.indexOf("%}", pos);
		int end = close < 0 ? -1 : src.indexOf("endraw", close);
		if (end < 0) {
			throw error("a raw block is not closed");
		}
		boolean stripAfterOpen = src.charAt(close - 1) == '-';
		int endOpen = src.lastIndexOf("{%", end);
		int endClose = src.indexOf("%}", end);
		String body = src.substring(close + 2, endOpen);
		if (stripAfterOpen) {
			body = body.stripLeading();
		} else if (body.startsWith("\n")) {
			body = body.substring(1);
		}
		char mod = src.charAt(endOpen + 2);
		if (mod == '-') {
			body = rstrip(body);
		} else if (mod != '+') {
			body = lstripBlockIn(body, false);
		}
		emitText(body);
		line += count(src, pos, endClose);
		pos = endClose + 2;
		if (src.charAt(endClose - 1) == '-') {
			int p = pos;
			while (p < src.length() && Character.isWhitespace(src.charAt(p))) {
				p++;
			}
			line += count(src, pos, p);
			pos = p;
			lineStarting = false;
		} else {
			trimNewline();
		}
	}

	private String lstripBlock(String text) {
		return lstripBlockIn(text, lineStarting);
	}

	/** lstrip_blocks: whitespace between the last newline (or a line start) and the tag goes. */
	private static String lstripBlockIn(String text, boolean atLineStart) {
		int nl = text.lastIndexOf('\n');
		if (nl < 0 && !atLineStart) {
			return text;
		}
		for (int i = nl + 1; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != ' ' && c != '\t') {
				return text;
			}
		}
		return text.substring(0, nl + 1);
	}

	private static String rstrip(String text) {
		int end = text.length();
		while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end);
	}

	private void emitText(String text) {
		if (!text.isEmpty()) {
			tokens.add(new Token(Kind.TEXT, text, line));
		}
	}

	private int nextTag(int from) {
		for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
			char c = src.charAt(i + 1);
			if (c == '{' || c == '%' || c == '#') {
				return i;
			}
		}
		return -1;
	}

	private void skipSpace() {
		while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
			if (src.charAt(pos) == '\n') {
				line++;
			}
			pos++;
		}
	}

	private static int count(String s, int from, int to) {
		int n = 0;
		for (int i = from; i < to && i < s.length(); i++) {
			if (s.charAt(i) == '\n') {
				n++;
			}
		}
		return n;
	}

	private TemplateException error(String what) {
		return new TemplateException("template syntax error on line " + line + ": " + what);
	}
}
