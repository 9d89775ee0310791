package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.local.runtime.chat.template.TemplateException;

/**
 * The attributes a template may read from a value: Python's str, list and dict methods (those that change a
 * list or dict are refused, as in transformers' immutable sandbox), a namespace's attributes, the loop
 * variable's.
 */
final class Methods {
	private Methods() {
	}

	private static final Set<String> UNSAFE_LIST = Set.of("append", "extend", "insert", "pop", "remove", "reverse",
			"sort", "clear");
	private static final Set<String> UNSAFE_DICT = Set.of("update", "pop", "popitem", "setdefault", "clear");

	/** The attribute, or {@link Py#MISSING}. */
	static Object attribute(Object obj, String name) {
		if (obj instanceof String s) {
			return string(s, name);
		}
		if (obj instanceof Map<?, ?> m) {
			if (UNSAFE_DICT.contains(name)) {
				return unsafe(obj, name);
			}
			return dict(m, name);
		}
		if (obj instanceof List<?> l) {
			if (UNSAFE_LIST.contains(name) && !(obj instanceof Tuple)) {
				return unsafe(obj, name);
			}
			return list(l, name);
		}
		if (obj instanceof Namespace ns) {
			return ns.attributes.containsKey(name) ? ns.attributes.get(name) : Py.MISSING;
		}
		if (obj instanceof Loop loop) {
			return loop.attribute(name);
		}
		if (obj instanceof Stmt.RecursiveLoop r) {
			return r.loop.attribute(name);
		}
		return Py.MISSING;
	}

	private static Undefined unsafe(Object obj, String name) {
		return new Undefined("access to attribute '" + name + "' of '" + Py.typeName(obj) + "' object is unsafe.", true);
	}

	private static Object dict(Map<?, ?> m, String name) {
		return switch (name) {
		case "get" -> (Callable) (args, kw) -> {
			need(args, 1, 2, "get");
			Object k = Py.findKey(m, args.get(0));
			return k != Py.MISSING ? m.get(k) : args.size() > 1 ? args.get(1) : null;
		};
		case "items" -> (Callable) (args, kw) -> {
			List<Object> out = new ArrayList<>();
			m.forEach((k, v) -> out.add(Tuple.of(k, v)));
			return out;
		};
		case "keys" -> (Callable) (args, kw) -> new ArrayList<Object>(m.keySet());
		case "values" -> (Callable) (args, kw) -> new ArrayList<Object>(m.values());
		case "copy" -> (Callable) (args, kw) -> new java.util.LinkedHashMap<Object, Object>(m);
		default -> Py.MISSING;
		};
	}

	private static Object list(List<?> l, String name) {
		return switch (name) {
		case "index" -> (Callable) (args, kw) -> {
			need(args, 1, 1, "index");
			for (int i = 0; i < l.size(); i++) {
				if (Py.eq(l.get(i), args.get(0))) {
					return (long) i;
				}
			}
			throw new TemplateException(PyRepr.repr(args.get(0)) + " is not in list");
		};
		case "count" -> (Callable) (args, kw) -> {
			need(args, 1, 1, "count");
			return l.stream().filter(x -> Py.eq(x, args.get(0))).count();
		};
		case "copy" -> (Callable) (args, kw) -> new ArrayList<Object>(l);
		default -> Py.MISSING;
		};
	}

	private static Object string(String s, String name) {
		return switch (name) {
		case "strip" -> (Callable) (args, kw) -> strip(s, chars(args), true, true);
		case "lstrip" -> (Callable) (args, kw) -> strip(s, chars(args), true, false);
		case "rstrip" -> (Callable) (args, kw) -> strip(s, chars(args), false, true);
		case "split" -> (Callable) (args, kw) -> split(s, arg(args, kw, 0, "sep"), maxsplit(args, kw));
		case "rsplit" -> (Callable) (args, kw) -> rsplit(s, arg(args, kw, 0, "sep"), maxsplit(args, kw));
		case "splitlines" -> (Callable) (args, kw) -> new ArrayList<Object>(splitlines(s, Py.truth(arg(args, kw, 0, "keepends"))));
		case "startswith" -> (Callable) (args, kw) -> affix(s, args, true);
		case "endswith" -> (Callable) (args, kw) -> affix(s, args, false);
		case "upper" -> (Callable) (args, kw) -> s.toUpperCase(java.util.Locale.ROOT);
		case "lower" -> (Callable) (args, kw) -> s.toLowerCase(java.util.Locale.ROOT);
		case "title" -> (Callable) (args, kw) -> title(s);
		case "capitalize" -> (Callable) (args, kw) -> capitalize(s);
		case "swapcase" -> (Callable) (args, kw) -> swapcase(s);
		case "replace" -> (Callable) (args, kw) -> {
			need(args, 2, 3, "replace");
			return replace(s, str(args.get(0)), str(args.get(1)), args.size() > 2 ? Py.toLong(args.get(2)) : -1);
		};
		case "find" -> (Callable) (args, kw) -> (long) s.indexOf(str(args.get(0)));
		case "rfind" -> (Callable) (args, kw) -> (long) s.lastIndexOf(str(args.get(0)));
		case "index" -> (Callable) (args, kw) -> {
			int i = s.indexOf(str(args.get(0)));
			if (i < 0) {
				throw new TemplateException("substring not found");
			}
			return (long) i;
		};
		case "count" -> (Callable) (args, kw) -> {
			String sub = str(args.get(0));
			if (sub.isEmpty()) {
				return Py.length(s) + 1;
			}
			long n = 0;
			for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
				n++;
			}
			return n;
		};
		case "join" -> (Callable) (args, kw) -> {
			need(args, 1, 1, "join");
			StringBuilder b = new StringBuilder();
			List<Object> items = Py.iterate(args.get(0));
			for (int i = 0; i < items.size(); i++) {
				if (!(items.get(i) instanceof String item)) {
					throw new TemplateException("sequence item " + i + ": expected str instance, "
							+ Py.typeName(items.get(i)) + " found");
				}
				b.append(i > 0 ? s : "").append(item);
			}
			return b.toString();
		};
		case "format" -> (Callable) (args, kw) -> Format.format(s, args, kw);
		case "removeprefix" -> (Callable) (args, kw) -> s.startsWith(str(args.get(0))) ? s.substring(str(args.get(0)).length()) : s;
		case "removesuffix" -> (Callable) (args, kw) -> {
			String x = str(args.get(0));
			return !x.isEmpty() && s.endsWith(x) ? s.substring(0, s.length() - x.length()) : s;
		};
		case "isdigit", "isnumeric", "isdecimal" -> (Callable) (args, kw) -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
		case "isalpha" -> (Callable) (args, kw) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
		case "isalnum" -> (Callable) (args, kw) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
		case "isspace" -> (Callable) (args, kw) -> !s.isEmpty() && s.codePoints().allMatch(Methods::isSpace);
		case "isupper" -> (Callable) (args, kw) -> s.codePoints().anyMatch(Character::isUpperCase)
				&& s.codePoints().noneMatch(Character::isLowerCase);
		case "islower" -> (Callable) (args, kw) -> s.codePoints().anyMatch(Character::isLowerCase)
				&& s.codePoints().noneMatch(Character::isUpperCase);
		case "zfill" -> (Callable) (args, kw) -> {
			Scope.checkSize(Py.toLong(args.get(0)));
			int w = (int) Py.toLong(args.get(0));
			return s.length() >= w ? s : "0".repeat(w - s.length()) + s;
		};
		case "ljust", "rjust", "center" -> (Callable) (args, kw) -> pad(s, name, (int) Py.toLong(args.get(0)),
				args.size() > 1 ? str(args.get(1)) : " ");
		default -> Py.MISSING;
		};
	}

	static boolean isSpace(int cp) {
		return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
	}

	private static String str(Object v) {
		if (!(v instanceof String s)) {
			throw new TemplateException("expected a string, not " + Py.typeName(v));
		}
		return s;
	}

	private static void need(List<Object> args, int min, int max, String name) {
		if (args.size() < min || args.size() > max) {
			throw new TemplateException(name + "() takes " + min + (max > min ? " to " + max : "") + " arguments ("
					+ args.size() + " given)");
		}
	}

	private static Object arg(List<Object> args, Map<String, Object> kw, int i, String name) {
		return i < args.size() ? args.get(i) : kw.get(name);
	}

	private static long maxsplit(List<Object> args, Map<String, Object> kw) {
		Object v = arg(args, kw, 1, "maxsplit");
		return v == null ? -1 : Py.toLong(v);
	}

	private static String chars(List<Object> args) {
		return args.isEmpty() || args.get(0) == null ? null : str(args.get(0));
	}

	static String strip(String s, String chars, boolean left, boolean right) {
		int start = 0, end = s.length();
		while (left && start < end && (chars == null ? isSpace(s.charAt(start)) : chars.indexOf(s.charAt(start)) >= 0)) {
			start++;
		}
		while (right && end > start && (chars == null ? isSpace(s.charAt(end - 1)) : chars.indexOf(s.charAt(end - 1)) >= 0)) {
			end--;
		}
		return s.substring(start, end);
	}

	static List<Object> split(String s, Object sep, long max) {
		List<Object> out = new ArrayList<>();
		if (sep == null) {
			int i = 0, n = s.length();
			while (true) {
				while (i < n && isSpace(s.charAt(i))) {
					i++;
				}
				if (i >= n) {
					break;
				}
				if (max >= 0 && out.size() == max) {
					out.add(strip(s.substring(i), null, false, true));
					break;
				}
				int j = i;
				while (j < n && !isSpace(s.charAt(j))) {
					j++;
				}
				out.add(s.substring(i, j));
				i = j;
			}
			return out;
		}
		String d = str(sep);
		if (d.isEmpty()) {
			throw new TemplateException("empty separator");
		}
		int from = 0;
		for (int i = s.indexOf(d); i >= 0 && (max < 0 || out.size() < max); i = s.indexOf(d, from)) {
			out.add(s.substring(from, i));
			from = i + d.length();
		}
		out.add(s.substring(from));
		return out;
	}

	private static List<Object> rsplit(String s, Object sep, long max) {
		if (max < 0) {
			return split(s, sep, -1);
		}
		if (sep == null) {
			List<Object> out = new ArrayList<>();
			int end = s.length();
			while (true) {
				while (end > 0 && isSpace(s.charAt(end - 1))) {
					end--;
				}
				if (end == 0) {
					break;
				}
				if (out.size() == max) {
					out.add(0, strip(s.substring(0, end), null, true, false));
					break;
				}
				int j = end;
				while (j > 0 && !isSpace(s.charAt(j - 1))) {
					j--;
				}
				out.add(0, s.substring(j, end));
				end = j;
			}
			return out;
		}
		String d = str(sep);
		List<Object> out = new ArrayList<>();
		int end = s.length();
		for (int i = s.lastIndexOf(d, end - d.length()); i >= 0 && out.size() < max; i = s.lastIndexOf(d, end - d.length())) {
			out.add(0, s.substring(i + d.length(), end));
			end = i;
			if (end - d.length() < 0) {
				break;
			}
		}
		out.add(0, s.substring(0, end));
		return out;
	}

	/** Python's str.splitlines: every line boundary Python knows. */
	static List<String> splitlines(String s, boolean keepends) {
		List<String> out = new ArrayList<>();
		int start = 0, i = 0;
		while (i < s.length()) {
			char c = s.charAt(i);
			int eol = -1;
			if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
				eol = 2;
			} else if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
					|| c == 0x85 || c == 0x2028 || c == 0x2029) {
				eol = 1;
			}
			if (eol < 0) {
				i++;
				continue;
			}
			out.add(s.substring(start, keepends ? i + eol : i));
			i += eol;
			start = i;
		}
		if (start < s.length()) {
			out.add(s.substring(start));
		}
		return out;
	}

	private static boolean affix(String s, List<Object> args, boolean prefix) {
		if (args.isEmpty()) {
			throw new TemplateException((prefix ? "startswith" : "endswith") + "() takes at least 1 argument");
		}
		List<Object> options = args.get(0) instanceof List<?> l ? new ArrayList<>(l) : List.of(args.get(0));
		String target = s;
		if (args.size() > 1) {
			target = (String) PyAccess.slice(s, args.get(1), args.size() > 2 ? args.get(2) : null, null);
		}
		for (Object o : options) {
			if (prefix ? target.startsWith(str(o)) : target.endsWith(str(o))) {
				return true;
			}
		}
		return false;
	}

	private static String replace(String s, String old, String with, long count) {
		if (with.length() > old.length()) {
			long matches = old.isEmpty() ? s.length() + 1L : (s.length() / old.length());
			Scope.checkSize(s.length() + matches * (with.length() - old.length()));
		}
		if (count < 0) {
			if (old.isEmpty()) {
				StringBuilder b = new StringBuilder(with);
				s.codePoints().forEach(cp -> b.appendCodePoint(cp).append(with));
				return b.toString();
			}
			return s.replace(old, with);
		}
		StringBuilder b = new StringBuilder();
		int from = 0;
		for (long n = 0; n < count; n++) {
			int i = s.indexOf(old, from);
			if (i < 0 || old.isEmpty()) {
				break;
			}
			b.append(s, from, i).append(with);
			from = i + old.length();
		}
		return b.append(s.substring(from)).toString();
	}

	static String title(String s) {
		StringBuilder b = new StringBuilder();
		boolean previousCased = false;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			b.append(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
			previousCased = Character.isLetter(c);
		}
		return b.toString();
	}

	static String capitalize(String s) {
		return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase(java.util.Locale.ROOT);
	}

	private static String swapcase(String s) {
		StringBuilder b = new StringBuilder();
		s.codePoints().forEach(cp -> b.appendCodePoint(
				Character.isUpperCase(cp) ? Character.toLowerCase(cp) : Character.toUpperCase(cp)));
		return b.toString();
	}

	private static String pad(String s, String how, int width, String fill) {
		Scope.checkSize(width);
		int n = width - (int) Py.length(s);
		if (n <= 0) {
			return s;
		}
		return switch (how) {
		case "ljust" -> s + fill.repeat(n);
		case "rjust" -> fill.repeat(n) + s;
		default -> {
			int left = n / 2 + (n & width & 1);
			yield fill.repeat(left) + s + fill.repeat(n - left);
		}
		};
	}
}
