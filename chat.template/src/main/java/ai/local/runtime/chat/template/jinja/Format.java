package ai.local.runtime.chat.template.jinja;

import java.util.List;
import java.util.Map;

import ai.local.runtime.chat.template.TemplateException;

/** Python's string formatting: {@code "%s" % x} and {@code "{}".format(...)}, the common conversions. */
final class Format {
	private Format() {
	}

	static String percent(String format, Object args) {
		List<?> values = args instanceof Tuple t ? t : List.of(args == null ? NONE : args);
		StringBuilder b = new StringBuilder();
		int next = 0;
		for (int i = 0; i < format.length(); i++) {
			char c = format.charAt(i);
			if (c != '%') {
				b.append(c);
				continue;
			}
			if (++i >= format.length()) {
				throw new TemplateException("incomplete format");
			}
			int specStart = i;
			while (i < format.length() && "-+ #0123456789.".indexOf(format.charAt(i)) >= 0) {
				i++;
			}
			String flags = format.substring(specStart, i);
			char conv = format.charAt(i);
			if (conv == '%') {
				b.append('%');
				continue;
			}
			if (next >= values.size()) {
				throw new TemplateException("not enough arguments for format string");
			}
			Object v = values.get(next++);
			v = v == NONE ? null : v;
			String s = switch (conv) {
			case 's' -> Py.str(v);
			case 'r' -> PyRepr.repr(v);
			case 'd', 'i' -> Long.toString(Py.toLong(v instanceof Double d ? (Object) (long) d.doubleValue() : v));
			case 'f', 'F' -> String.format("%" + (flags.contains(".") ? flags : flags + ".6") + "f", Py.toDouble(v));
			case 'x' -> Long.toHexString(Py.toLong(v));
			default -> throw new TemplateException("unsupported format character '" + conv + "'");
			};
			if (conv != 'f' && conv != 'F' && !flags.isEmpty()) {
				String digits = flags.replaceAll("[^0-9]", "");
				Scope.checkSize(digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits.isEmpty() ? "0" : digits));
				int width = Integer.parseInt(digits.isEmpty() ? "0" : digits);
				s = flags.startsWith("-") ? String.format("%-" + Math.max(1, width) + "s", s)
						: String.format("%" + Math.max(1, width) + "s", s);
			}
			b.append(s);
		}
		return b.toString();
	}

	private static final Object NONE = new Object();

	static String format(String format, List<Object> args, Map<String, Object> kwargs) {
		StringBuilder b = new StringBuilder();
		int auto = 0;
		for (int i = 0; i < format.length(); i++) {
			char c = format.charAt(i);
			if (c == '{' && i + 1 < format.length() && format.charAt(i + 1) == '{') {
				b.append('{');
				i++;
			} else if (c == '}' && i + 1 < format.length() && format.charAt(i + 1) == '}') {
				b.append('}');
				i++;
			} else if (c == '{') {
				int end = format.indexOf('}', i);
				if (end < 0) {
					throw new TemplateException("Single '{' encountered in format string");
				}
				String field = format.substring(i + 1, end);
				String spec = "";
				int colon = field.indexOf(':');
				if (colon >= 0) {
					spec = field.substring(colon + 1);
					field = field.substring(0, colon);
				}
				boolean repr = field.endsWith("!r");
				field = field.replaceAll("![rsa]$", "");
				Object v;
				if (field.isEmpty()) {
					v = arg(args, auto++);
				} else if (field.chars().allMatch(Character::isDigit)) {
					v = arg(args, Integer.parseInt(field));
				} else if (kwargs.containsKey(field)) {
					v = kwargs.get(field);
				} else {
					throw new TemplateException("KeyError: '" + field + "'");
				}
				String s = repr ? PyRepr.repr(v) : Py.str(v);
				if (!spec.isEmpty() && spec.matches("[<>]?\\d{1,9}")) {
					int w = Integer.parseInt(spec.replaceAll("[<>]", ""));
					Scope.checkSize(w);
					boolean right = spec.startsWith(">") || !spec.startsWith("<") && Py.isNumber(v);
					s = right ? String.format("%" + w + "s", s) : String.format("%-" + w + "s", s);
				}
				b.append(s);
				i = end;
			} else {
				b.append(c);
			}
		}
		return b.toString();
	}

	private static Object arg(List<Object> args, int i) {
		if (i >= args.size()) {
			throw new TemplateException("Replacement index " + i + " out of range for positional args tuple");
		}
		return args.get(i);
	}
}
