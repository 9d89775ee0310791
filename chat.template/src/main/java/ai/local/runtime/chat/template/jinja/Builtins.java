package ai.local.runtime.chat.template.jinja;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import ai.local.runtime.chat.template.TemplateException;

/** Jinja's filters, tests and globals, with transformers' additions ({@code tojson}, {@code raise_exception}, {@code strftime_now}). */
final class Builtins {
	private Builtins() {
	}

	@FunctionalInterface
	interface FilterFn {
		Object apply(Object value, List<Object> args, Map<String, Object> kwargs);
	}

	@FunctionalInterface
	interface TestFn {
		boolean test(Object value, List<Object> args);
	}

	static final Map<String, FilterFn> FILTERS = new HashMap<>();
	static final Map<String, TestFn> TESTS = new HashMap<>();

	private static Object arg(List<Object> args, Map<String, Object> kw, int i, String name, Object fallback) {
		if (i < args.size()) {
			return args.get(i);
		}
		return kw.containsKey(name) ? kw.get(name) : fallback;
	}

	private static String text(Object v) {
		return Py.str(v);
	}

	static {
		FILTERS.put("tojson", (v, a, kw) -> {
			Object seps = arg(a, kw, 2, "separators", null);
			return new Json(arg(a, kw, 1, "indent", null), seps instanceof List<?> l ? l : null,
					Py.truth(arg(a, kw, 3, "sort_keys", false)), Py.truth(arg(a, kw, 0, "ensure_ascii", false))).dumps(v);
		});
		FILTERS.put("length", (v, a, kw) -> Py.length(v));
		FILTERS.put("count", FILTERS.get("length"));
		FILTERS.put("string", (v, a, kw) -> text(v));
		FILTERS.put("safe", (v, a, kw) -> v instanceof Markup ? v : new Markup(text(v)));
		FILTERS.put("trim", (v, a, kw) -> {
			Object chars = arg(a, kw, 0, "chars", null);
			return Methods.strip(text(v), chars == null ? null : text(chars), true, true);
		});
		FILTERS.put("upper", (v, a, kw) -> text(v).toUpperCase(Locale.ROOT));
		FILTERS.put("lower", (v, a, kw) -> text(v).toLowerCase(Locale.ROOT));
		FILTERS.put("capitalize", (v, a, kw) -> Methods.capitalize(text(v)));
		FILTERS.put("title", (v, a, kw) -> Methods.title(text(v)));
		FILTERS.put("default", (v, a, kw) -> {
			boolean bool = Py.truth(arg(a, kw, 1, "boolean", false));
			return v instanceof Undefined || bool && !Py.truth(v) ? arg(a, kw, 0, "default_value", "") : v;
		});
		FILTERS.put("d", FILTERS.get("default"));
		FILTERS.put("join", (v, a, kw) -> {
			String sep = text(arg(a, kw, 0, "d", ""));
			Object attribute = arg(a, kw, 1, "attribute", null);
			StringBuilder b = new StringBuilder();
			List<Object> items = Py.iterate(v);
			for (int i = 0; i < items.size(); i++) {
				Object item = attribute == null ? items.get(i) : PyAccess.getitem(items.get(i), attribute);
				b.append(i > 0 ? sep : "").append(text(item));
			}
			return b.toString();
		});
		FILTERS.put("replace", (v, a, kw) -> {
			String s = text(v), old = text(a.get(0)), with = text(a.get(1));
			Object count = arg(a, kw, 2, "count", null);
			return ((Callable) Methods.attribute(s, "replace")).call(count == null ? List.of(old, with)
					: List.of(old, with, count), Map.of());
		});
		FILTERS.put("items", (v, a, kw) -> {
			if (v instanceof Undefined) {
				return new ArrayList<>();
			}
			if (!(v instanceof Map<?, ?> m)) {
				throw new TemplateException("Can only get item pairs from a mapping.");
			}
			List<Object> out = new ArrayList<>();
			m.forEach((k, x) -> out.add(Tuple.of(k, x)));
			return out;
		});
		FILTERS.put("dictsort", (v, a, kw) -> {
			boolean caseSensitive = Py.truth(arg(a, kw, 0, "case_sensitive", false));
			boolean byValue = "value".equals(arg(a, kw, 1, "by", "key"));
			boolean reverse = Py.truth(arg(a, kw, 2, "reverse", false));
			List<Object> out = new ArrayList<>();
			((Map<?, ?>) v).forEach((k, x) -> out.add(Tuple.of(k, x)));
			Comparator<Object> c = (x, y) -> Py.compare(sortKey(((List<?>) x).get(byValue ? 1 : 0), caseSensitive),
					sortKey(((List<?>) y).get(byValue ? 1 : 0), caseSensitive));
			out.sort(reverse ? c.reversed() : c);
			return out;
		});
		FILTERS.put("list", (v, a, kw) -> Py.iterate(v));
		FILTERS.put("first", (v, a, kw) -> {
			List<Object> l = Py.iterate(v);
			return l.isEmpty() ? Undefined.of("the first item of an empty sequence") : l.get(0);
		});
		FILTERS.put("last", (v, a, kw) -> {
			List<Object> l = Py.iterate(v);
			return l.isEmpty() ? Undefined.of("the last item of an empty sequence") : l.get(l.size() - 1);
		});
		FILTERS.put("reverse", (v, a, kw) -> {
			if (v instanceof String s) {
				return new StringBuilder(s).reverse().toString();
			}
			List<Object> l = Py.iterate(v);
			java.util.Collections.reverse(l);
			return l;
		});
		FILTERS.put("unique", (v, a, kw) -> {
			boolean caseSensitive = Py.truth(arg(a, kw, 0, "case_sensitive", false));
			Object attribute = arg(a, kw, 1, "attribute", null);
			List<Object> out = new ArrayList<>(), seen = new ArrayList<>();
			for (Object x : Py.iterate(v)) {
				Object key = sortKey(attribute == null ? x : PyAccess.getitem(x, attribute), caseSensitive);
				if (seen.stream().noneMatch(s -> Py.eq(s, key))) {
					seen.add(key);
					out.add(x);
				}
			}
			return out;
		});
		FILTERS.put("sort", (v, a, kw) -> {
			boolean reverse = Py.truth(arg(a, kw, 0, "reverse", false));
			boolean caseSensitive = Py.truth(arg(a, kw, 1, "case_sensitive", false));
			Object attribute = arg(a, kw, 2, "attribute", null);
			List<Object> l = Py.iterate(v);
			Comparator<Object> c = (x, y) -> Py.compare(
					sortKey(attribute == null ? x : PyAccess.getitem(x, attribute), caseSensitive),
					sortKey(attribute == null ? y : PyAccess.getitem(y, attribute), caseSensitive));
			l.sort(reverse ? c.reversed() : c);
			return l;
		});
		FILTERS.put("min", (v, a, kw) -> Py.iterate(v).stream().min(Py::compare).orElse(Undefined.of("min of nothing")));
		FILTERS.put("max", (v, a, kw) -> Py.iterate(v).stream().max(Py::compare).orElse(Undefined.of("max of nothing")));
		FILTERS.put("sum", (v, a, kw) -> {
			Object attribute = arg(a, kw, 0, "attribute", null);
			Object total = arg(a, kw, 1, "start", 0L);
			for (Object x : Py.iterate(v)) {
				total = PyMath.arithmetic("+", total, attribute == null ? x : PyAccess.getitem(x, attribute));
			}
			return total;
		});
		FILTERS.put("int", (v, a, kw) -> {
			Object fallback = arg(a, kw, 0, "default", 0L);
			if (v instanceof Boolean || v instanceof Long) {
				return Py.toLong(v);
			}
			if (v instanceof Double d) {
				return (long) d.doubleValue();
			}
			try {
				return Long.parseLong(text(v).strip().replace("_", ""));
			} catch (NumberFormatException e) {
				try {
					return (long) Double.parseDouble(text(v).strip());
				} catch (NumberFormatException e2) {
					return fallback;
				}
			}
		});
		FILTERS.put("float", (v, a, kw) -> {
			if (Py.isNumber(v)) {
				return Py.toDouble(v);
			}
			try {
				return Double.parseDouble(text(v).strip());
			} catch (NumberFormatException e) {
				return arg(a, kw, 0, "default", 0.0);
			}
		});
		FILTERS.put("abs", (v, a, kw) -> v instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs(Py.toLong(v)));
		FILTERS.put("round", (v, a, kw) -> {
			long precision = Py.toLong(arg(a, kw, 0, "precision", 0L));
			String method = text(arg(a, kw, 1, "method", "common"));
			java.math.RoundingMode mode = switch (method) {
			case "ceil" -> java.math.RoundingMode.CEILING;
			case "floor" -> java.math.RoundingMode.FLOOR;
			default -> java.math.RoundingMode.HALF_EVEN;
			};
			return new java.math.BigDecimal(Py.toDouble(v)).setScale((int) precision, mode).doubleValue();
		});
		FILTERS.put("indent", (v, a, kw) -> {
			Object width = arg(a, kw, 0, "width", 4L);
			if (!(width instanceof String)) {
				Scope.checkSize(Py.toLong(width));
			}
			String pad = width instanceof String s ? s : " ".repeat((int) Py.toLong(width));
			boolean first = Py.truth(arg(a, kw, 1, "first", false));
			boolean blank = Py.truth(arg(a, kw, 2, "blank", false));
			List<String> lines = Methods.splitlines(text(v) + "\n", false);
			Scope.checkSize(text(v).length() + (long) lines.size() * pad.length());
			StringBuilder b = new StringBuilder();
			if (blank) {
				b.append(String.join("\n" + pad, lines));
			} else {
				b.append(lines.get(0));
				for (int i = 1; i < lines.size(); i++) {
					b.append('\n').append(lines.get(i).isEmpty() ? "" : pad + lines.get(i));
				}
			}
			return first ? pad + b : b.toString();
		});
		FILTERS.put("center", (v, a, kw) -> ((Callable) Methods.attribute(text(v), "center"))
				.call(List.of(arg(a, kw, 0, "width", 80L)), Map.of()));
		FILTERS.put("wordcount", (v, a, kw) -> (long) Methods.split(text(v), null, -1).size());
		FILTERS.put("e", (v, a, kw) -> v instanceof Markup ? v : new Markup(Markup.escape(text(v))));
		FILTERS.put("escape", FILTERS.get("e"));
		FILTERS.put("map", (v, a, kw) -> {
			List<Object> out = new ArrayList<>();
			if (!Py.truth(v)) {
				return new Generator(out);
			}
			if (kw.containsKey("attribute")) {
				Object attribute = kw.get("attribute");
				for (Object x : Py.iterate(v)) {
					Object got = PyAccess.getitem(x, attribute);
					out.add(got instanceof Undefined && kw.containsKey("default") ? kw.get("default") : got);
				}
				return new Generator(out);
			}
			if (a.isEmpty()) {
				throw new TemplateException("map requires a filter argument");
			}
			FilterFn f = FILTERS.get(text(a.get(0)));
			if (f == null) {
				throw new TemplateException("No filter named '" + a.get(0) + "'");
			}
			for (Object x : Py.iterate(v)) {
				out.add(f.apply(x, a.subList(1, a.size()), kw));
			}
			return new Generator(out);
		});
		FILTERS.put("select", (v, a, kw) -> select(v, a, null, true));
		FILTERS.put("reject", (v, a, kw) -> select(v, a, null, false));
		FILTERS.put("selectattr", (v, a, kw) -> select(v, a.subList(1, a.size()), a.get(0), true));
		FILTERS.put("rejectattr", (v, a, kw) -> select(v, a.subList(1, a.size()), a.get(0), false));
		FILTERS.put("batch", (v, a, kw) -> {
			int n = (int) Py.toLong(a.get(0));
			List<Object> out = new ArrayList<>(), items = Py.iterate(v);
			for (int i = 0; i < items.size(); i += n) {
				List<Object> chunk = new ArrayList<>(items.subList(i, Math.min(items.size(), i + n)));
				while (chunk.size() < n && a.size() > 1) {
					chunk.add(a.get(1));
				}
				out.add(chunk);
			}
			return out;
		});
		FILTERS.put("pprint", (v, a, kw) -> PyRepr.repr(v));

		TESTS.put("defined", (v, a) -> !(v instanceof Undefined));
		TESTS.put("undefined", (v, a) -> v instanceof Undefined);
		TESTS.put("none", (v, a) -> v == null);
		TESTS.put("string", (v, a) -> v instanceof String || v instanceof Markup);
		TESTS.put("mapping", (v, a) -> v instanceof Map);
		TESTS.put("iterable", (v, a) -> v instanceof String || v instanceof Markup || v instanceof Iterable || v instanceof Map || v instanceof Undefined);
		TESTS.put("sequence", (v, a) -> v instanceof String || v instanceof List || v instanceof Map);
		TESTS.put("number", (v, a) -> Py.isNumber(v));
		TESTS.put("integer", (v, a) -> v instanceof Long);
		TESTS.put("float", (v, a) -> v instanceof Double);
		TESTS.put("boolean", (v, a) -> v instanceof Boolean);
		TESTS.put("true", (v, a) -> Boolean.TRUE.equals(v));
		TESTS.put("false", (v, a) -> Boolean.FALSE.equals(v));
		TESTS.put("callable", (v, a) -> v instanceof Callable);
		TESTS.put("odd", (v, a) -> Math.floorMod(Py.toLong(v), 2) == 1);
		TESTS.put("even", (v, a) -> Math.floorMod(Py.toLong(v), 2) == 0);
		TESTS.put("divisibleby", (v, a) -> Py.toLong(v) % Py.toLong(a.get(0)) == 0);
		TESTS.put("lower", (v, a) -> v instanceof String s && s.equals(s.toLowerCase(Locale.ROOT)));
		TESTS.put("upper", (v, a) -> v instanceof String s && s.equals(s.toUpperCase(Locale.ROOT)));
		TESTS.put("in", (v, a) -> Py.contains(a.get(0), v));
		TESTS.put("sameas", (v, a) -> v == a.get(0) || v != null && (v instanceof Boolean) && v.equals(a.get(0)));
		TESTS.put("escaped", (v, a) -> false);
		for (String[] op : new String[][] { { "==", "eq", "equalto" }, { "!=", "ne" }, { "<", "lt", "lessthan" },
				{ "<=", "le" }, { ">", "gt", "greaterthan" }, { ">=", "ge" } }) {
			for (String name : op) {
				TESTS.put(name, (v, a) -> Expr.Compare.compare(op[0], v, a.get(0)));
			}
		}
		TESTS.put("filter", (v, a) -> v instanceof String s && FILTERS.containsKey(s));
		TESTS.put("test", (v, a) -> v instanceof String s && TESTS.containsKey(s));
	}

	private static Object sortKey(Object v, boolean caseSensitive) {
		return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
	}

	private static Generator select(Object v, List<Object> args, Object attribute, boolean keep) {
		List<Object> out = new ArrayList<>();
		if (!Py.truth(v)) {
			return new Generator(out);
		}
		TestFn test = null;
		List<Object> testArgs = List.of();
		if (!args.isEmpty()) {
			test = TESTS.get(text(args.get(0)));
			if (test == null) {
				throw new TemplateException("No test named '" + args.get(0) + "'");
			}
			testArgs = args.subList(1, args.size());
		}
		for (Object x : Py.iterate(v)) {
			Object subject = attribute == null ? x : attribute(x, text(attribute));
			boolean ok = test == null ? Py.truth(subject) : test.test(subject, testArgs);
			if (ok == keep) {
				out.add(x);
			}
		}
		return new Generator(out);
	}

	/** A dotted attribute path as selectattr and map read it ("a.b" is a then b). */
	private static Object attribute(Object x, String path) {
		Object v = x;
		for (String part : path.split("\\.")) {
			v = v instanceof Undefined ? v : PyAccess.getitem(v, part.matches("\\d+") ? (Object) Long.parseLong(part) : part);
		}
		return v;
	}

	/** The global functions and values every template sees. */
	static Map<String, Object> globals(Supplier<ZonedDateTime> now) {
		Map<String, Object> g = new LinkedHashMap<>();
		g.put("raise_exception", (Callable) (a, kw) -> {
			throw new TemplateException(a.isEmpty() ? "raise_exception" : text(a.get(0)), true);
		});
		g.put("strftime_now", (Callable) (a, kw) -> Strftime.format(text(a.get(0)), now.get()));
		g.put("namespace", (Callable) (a, kw) -> {
			Namespace ns = new Namespace();
			for (Object x : a) {
				if (x instanceof Map<?, ?> m) {
					m.forEach((k, val) -> ns.attributes.put(text(k), val));
				}
			}
			ns.attributes.putAll(kw);
			return ns;
		});
		g.put("range", (Callable) (a, kw) -> {
			long start = 0, stop, step = 1;
			if (a.size() == 1) {
				stop = Py.toLong(a.get(0));
			} else {
				start = Py.toLong(a.get(0));
				stop = Py.toLong(a.get(1));
				step = a.size() > 2 ? Py.toLong(a.get(2)) : 1;
			}
			if (step == 0) {
				throw new TemplateException("range() arg 3 must not be zero");
			}
			Scope.checkSize(Math.abs((stop - start) / step));
			List<Object> out = new ArrayList<>();
			for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
				out.add(i);
			}
			return out;
		});
		g.put("dict", (Callable) (a, kw) -> {
			Map<Object, Object> out = new LinkedHashMap<>();
			if (!a.isEmpty() && a.get(0) instanceof Map<?, ?> m) {
				out.putAll(m);
			}
			out.putAll(kw);
			return out;
		});
		return g;
	}
}
