package ai.local.runtime.chat.template.jinja;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Python's repr() of template values: strings quoted and escaped as Python does, floats in Python's shortest form. */
final class PyRepr {
	private PyRepr() {
	}

	static String repr(Object v) {
		if (v instanceof Markup m) {
			return "Markup(" + stringRepr(m.text()) + ")";
		}
		if (v == null) {
			return "None";
		}
		if (v instanceof Boolean b) {
			return b ? "True" : "False";
		}
		if (v instanceof Long || v instanceof Integer) {
			return v.toString();
		}
		if (v instanceof Double d) {
			return floatRepr(d);
		}
		if (v instanceof String s) {
			return stringRepr(s);
		}
		if (v instanceof Tuple t) {
			StringBuilder b = new StringBuilder("(");
			for (int i = 0; i < t.size(); i++) {
				b.append(i > 0 ? ", " : "").append(repr(t.get(i)));
			}
			return b.append(t.size() == 1 ? ",)" : ")").toString();
		}
		if (v instanceof List<?> l) {
			StringBuilder b = new StringBuilder("[");
			for (int i = 0; i < l.size(); i++) {
				b.append(i > 0 ? ", " : "").append(repr(l.get(i)));
			}
			return b.append(']').toString();
		}
		if (v instanceof Map<?, ?> m) {
			StringBuilder b = new StringBuilder("{");
			boolean first = true;
			for (Map.Entry<?, ?> e : m.entrySet()) {
				b.append(first ? "" : ", ").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
				first = false;
			}
			return b.append('}').toString();
		}
		if (v instanceof Undefined) {
			return "Undefined";
		}
		if (v instanceof Generator) {
			return "generator";
		}
		if (v instanceof Namespace) {
			return "<Namespace>";
		}
		return v.toString();
	}

	/** Python's repr of a float: the shortest digits that read back, positional between 1e-4 and 1e16. */
	static String floatRepr(double d) {
		if (Double.isNaN(d)) {
			return "nan";
		}
		if (Double.isInfinite(d)) {
			return d > 0 ? "inf" : "-inf";
		}
		if (d == 0) {
			return (1 / d < 0) ? "-0.0" : "0.0";
		}
		BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
		String digits = bd.unscaledValue().abs().toString();
		int exponent = digits.length() - 1 - bd.scale();
		String sign = d < 0 ? "-" : "";
		if (exponent >= 16 || exponent < -4) {
			String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
			return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
					+ Math.abs(exponent);
		}
		String plain = bd.abs().toPlainString();
		return sign + (plain.contains(".") ? plain : plain + ".0");
	}

	static String stringRepr(String s) {
		char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
		StringBuilder b = new StringBuilder().append(quote);
		s.codePoints().forEach(cp -> {
			if (cp == quote || cp == '\\') {
				b.append('\\').appendCodePoint(cp);
			} else if (cp == '\n') {
				b.append("\\n");
			} else if (cp == '\r') {
				b.append("\\r");
			} else if (cp == '\t') {
				b.append("\\t");
			} else if (cp < 0x20 || cp == 0x7f) {
				b.append(String.format("\\x%02x", cp));
			} else if (!printable(cp)) {
				b.append(cp <= 0xff ? String.format("\\x%02x", cp)
						: cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
			} else {
				b.appendCodePoint(cp);
			}
		});
		return b.append(quote).toString();
	}

	private static boolean printable(int cp) {
		int t = Character.getType(cp);
		return !(t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE
				|| t == Character.PRIVATE_USE || t == Character.UNASSIGNED || t == Character.LINE_SEPARATOR
				|| t == Character.PARAGRAPH_SEPARATOR || t == Character.SPACE_SEPARATOR && cp != ' ');
	}
}
