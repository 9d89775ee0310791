package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.local.runtime.chat.template.TemplateException;

/**
 * Python's {@code json.dumps(x, ensure_ascii=False, indent=..., separators=..., sort_keys=...)}, which is what
 * transformers' {@code tojson} filter calls.
 */
final class Json {
	private final String indent;
	private final String itemSeparator;
	private final String keySeparator;
	private final boolean sortKeys;
	private final boolean ensureAscii;

	Json(Object indent, List<?> separators, boolean sortKeys) {
		this(indent, separators, sortKeys, false);
	}

	Json(Object indent, List<?> separators, boolean sortKeys, boolean ensureAscii) {
		this.ensureAscii = ensureAscii;
		if (indent == null) {
			this.indent = null;
		} else if (indent instanceof String s) {
			this.indent = s;
		} else {
			this.indent = " ".repeat((int) Math.max(0, Py.toLong(indent)));
		}
		if (separators != null && separators.size() == 2) {
			this.itemSeparator = Py.str(separators.get(0));
			this.keySeparator = Py.str(separators.get(1));
		} else {
			this.itemSeparator = this.indent == null ? ", " : ",";
			this.keySeparator = ": ";
		}
		this.sortKeys = sortKeys;
	}

	String dumps(Object v) {
		StringBuilder b = new StringBuilder();
		write(b, v, 0);
		return b.toString();
	}

	private void write(StringBuilder b, Object v, int depth) {
		v = Markup.unmark(v);
		if (v == null) {
			b.append("null");
		} else if (v instanceof Boolean x) {
			b.append(x ? "true" : "false");
		} else if (v instanceof Long) {
			b.append(v);
		} else if (v instanceof Double d) {
			b.append(d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : PyRepr.floatRepr(d));
		} else if (v instanceof String s) {
			string(b, s);
		} else if (v instanceof List<?> l) {
			if (l.isEmpty()) {
				b.append("[]");
				return;
			}
			b.append('[');
			for (int i = 0; i < l.size(); i++) {
				if (i > 0) {
					b.append(itemSeparator);
				}
				newline(b, depth + 1);
				write(b, l.get(i), depth + 1);
			}
			newline(b, depth);
			b.append(']');
		} else if (v instanceof Map<?, ?> m) {
			if (m.isEmpty()) {
				b.append("{}");
				return;
			}
			List<Map.Entry<String, Object>> entries = new ArrayList<>();
			m.forEach((k, x) -> entries.add(Map.entry(key(k), x == null ? NULL : x)));
			if (sortKeys) {
				entries.sort(Map.Entry.comparingByKey());
			}
			b.append('{');
			boolean first = true;
			for (Map.Entry<String, Object> e : entries) {
				if (!first) {
					b.append(itemSeparator);
				}
				first = false;
				newline(b, depth + 1);
				string(b, e.getKey());
				b.append(keySeparator);
				write(b, e.getValue() == NULL ? null : e.getValue(), depth + 1);
			}
			newline(b, depth);
			b.append('}');
		} else {
			throw new TemplateException("Object of type " + Py.typeName(v) + " is not JSON serializable");
		}
	}

	private static final Object NULL = new Object();

	private static String key(Object k) {
		if (k instanceof String s) {
			return s;
		}
		if (k == null) {
			return "null";
		}
		if (k instanceof Boolean b) {
			return b ? "true" : "false";
		}
		if (k instanceof Long || k instanceof Double) {
			return k instanceof Double d ? PyRepr.floatRepr(d) : k.toString();
		}
		throw new TemplateException("keys must be str, int, float, bool or None, not " + Py.typeName(k));
	}

	private void newline(StringBuilder b, int depth) {
		if (indent != null) {
			b.append('\n').append(indent.repeat(depth));
		}
	}

	private void string(StringBuilder b, String s) {
		string(b, s, ensureAscii);
	}

	static void string(StringBuilder b, String s, boolean ascii) {
		b.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"' -> b.append("\\\"");
			case '\\' -> b.append("\\\\");
			case '\n' -> b.append("\\n");
			case '\r' -> b.append("\\r");
			case '\t' -> b.append("\\t");
			case '\b' -> b.append("\\b");
			case '\f' -> b.append("\\f");
			default -> {
				if (c < 0x20 || ascii && c > 0x7e) {
					b.append(String.format("\\u%04x", (int) c));
				} else {
					b.append(c);
				}
			}
			}
		}
		b.append('"');
	}
}
