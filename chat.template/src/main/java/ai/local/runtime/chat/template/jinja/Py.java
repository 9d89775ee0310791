package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.local.runtime.chat.template.TemplateException;

/**
 * Python's value semantics over Java values: None is null, int is Long, float is Double, str is String, list
 * and tuple are Lists, dict is a Map in insertion order. Truth, str/repr, equality, ordering and iteration as
 * Python does them; strings are indexed by code point. Operators are {@link PyMath}'s, attribute and item access
 * {@link PyAccess}'s.
 */
final class Py {
	private Py() {
	}

	static boolean truth(Object v) {
		v = Markup.unmark(v);
		if (v == null || v instanceof Undefined) {
			return false;
		}
		if (v instanceof Boolean b) {
			return b;
		}
		if (v instanceof Long l) {
			return l != 0;
		}
		if (v instanceof Double d) {
			return d != 0;
		}
		if (v instanceof String s) {
			return !s.isEmpty();
		}
		if (v instanceof Collection<?> c) {
			return !c.isEmpty();
		}
		if (v instanceof Map<?, ?> m) {
			return !m.isEmpty();
		}
		return true;
	}

	/** Python's str(). */
	static String str(Object v) {
		if (v instanceof Markup m) {
			return m.text();
		}
		if (v instanceof String s) {
			return s;
		}
		if (v instanceof Undefined) {
			return "";
		}
		return PyRepr.repr(v);
	}

	static boolean isNumber(Object v) {
		return v instanceof Long || v instanceof Double || v instanceof Boolean;
	}

	static double toDouble(Object v) {
		if (v instanceof Boolean b) {
			return b ? 1 : 0;
		}
		return ((Number) v).doubleValue();
	}

	static long toLong(Object v) {
		if (v instanceof Boolean b) {
			return b ? 1 : 0;
		}
		return ((Number) v).longValue();
	}

	static boolean eq(Object a, Object b) {
		a = Markup.unmark(a);
		b = Markup.unmark(b);
		if (a == b) {
			return true;
		}
		if (a == null || b == null) {
			return false;
		}
		if (isNumber(a) && isNumber(b)) {
			if (a instanceof Double || b instanceof Double) {
				return toDouble(a) == toDouble(b);
			}
			return toLong(a) == toLong(b);
		}
		if (a instanceof List<?> x && b instanceof List<?> y) {
			if ((a instanceof Tuple) != (b instanceof Tuple) || x.size() != y.size()) {
				return false;
			}
			for (int i = 0; i < x.size(); i++) {
				if (!eq(x.get(i), y.get(i))) {
					return false;
				}
			}
			return true;
		}
		if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
			if (x.size() != y.size()) {
				return false;
			}
			for (Map.Entry<?, ?> e : x.entrySet()) {
				Object k = findKey(y, e.getKey());
				if (k == MISSING || !eq(e.getValue(), y.get(k))) {
					return false;
				}
			}
			return true;
		}
		if (a instanceof Undefined || b instanceof Undefined) {
			return a instanceof Undefined && b instanceof Undefined;
		}
		return a.equals(b);
	}

	static final Object MISSING = new Object();

	/** The key of {@code m} equal to {@code key} in Python's sense (1 == 1.0 == True), or MISSING. */
	static Object findKey(Map<?, ?> m, Object key) {
		if (m.containsKey(key)) {
			return key;
		}
		if (isNumber(key)) {
			for (Object k : m.keySet()) {
				if (isNumber(k) && eq(k, key)) {
					return k;
				}
			}
		}
		return MISSING;
	}

	static int compare(Object a, Object b) {
		a = Markup.unmark(a);
		b = Markup.unmark(b);
		if (isNumber(a) && isNumber(b)) {
			return a instanceof Double || b instanceof Double ? Double.compare(toDouble(a), toDouble(b))
					: Long.compare(toLong(a), toLong(b));
		}
		if (a instanceof String x && b instanceof String y) {
			return compareCodePoints(x, y);
		}
		if (a instanceof List<?> x && b instanceof List<?> y) {
			for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
				if (!eq(x.get(i), y.get(i))) {
					return compare(x.get(i), y.get(i));
				}
			}
			return Integer.compare(x.size(), y.size());
		}
		throw new TemplateException("'<' not supported between instances of '" + typeName(a) + "' and '"
				+ typeName(b) + "'");
	}

	private static int compareCodePoints(String x, String y) {
		int i = 0, j = 0;
		while (i < x.length() && j < y.length()) {
			int a = x.codePointAt(i), b = y.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Integer.compare(x.length() - i, y.length() - j);
	}

	static String typeName(Object v) {
		if (v == null) {
			return "NoneType";
		}
		if (v instanceof Boolean) {
			return "bool";
		}
		if (v instanceof Long) {
			return "int";
		}
		if (v instanceof Double) {
			return "float";
		}
		if (v instanceof String) {
			return "str";
		}
		if (v instanceof Tuple) {
			return "tuple";
		}
		if (v instanceof List) {
			return "list";
		}
		if (v instanceof Map) {
			return "dict";
		}
		if (v instanceof Undefined) {
			return "Undefined";
		}
		return v.getClass().getSimpleName();
	}

	/** What {@code for x in v} iterates. */
	static List<Object> iterate(Object v) {
		v = Markup.unmark(v);
		if (v instanceof List<?> l) {
			return new ArrayList<>(l);
		}
		if (v instanceof Map<?, ?> m) {
			return new ArrayList<>(m.keySet());
		}
		if (v instanceof String s) {
			List<Object> out = new ArrayList<>();
			s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
			return out;
		}
		if (v instanceof Undefined) {
			return new ArrayList<>();
		}
		if (v instanceof Iterable<?> it) {
			List<Object> out = new ArrayList<>();
			for (Iterator<?> i = it.iterator(); i.hasNext();) {
				out.add(i.next());
			}
			return out;
		}
		throw new TemplateException("'" + typeName(v) + "' object is not iterable");
	}

	static long length(Object v) {
		v = Markup.unmark(v);
		if (v instanceof String s) {
			return s.codePointCount(0, s.length());
		}
		if (v instanceof Collection<?> c) {
			return c.size();
		}
		if (v instanceof Map<?, ?> m) {
			return m.size();
		}
		if (v instanceof Undefined) {
			return 0;
		}
		throw new TemplateException("object of type '" + typeName(v) + "' has no len()");
	}

	static boolean contains(Object container, Object item) {
		container = Markup.unmark(container);
		item = Markup.unmark(item);
		if (container instanceof String s) {
			if (!(item instanceof String sub)) {
				throw new TemplateException("'in <string>' requires string as left operand, not " + typeName(item));
			}
			return s.contains(sub);
		}
		if (container instanceof Map<?, ?> m) {
			return findKey(m, item) != MISSING;
		}
		for (Object o : iterate(container)) {
			if (eq(o, item)) {
				return true;
			}
		}
		return false;
	}

	/** A copy of a JSON-like Java value as template values: ints as Long, maps keep their order. */
	static Object wrap(Object v) {
		if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
			return v;
		}
		if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
			return ((Number) v).longValue();
		}
		if (v instanceof java.math.BigInteger bi) {
			return bi.longValue();
		}
		if (v instanceof Number n) {
			return n.doubleValue();
		}
		if (v instanceof Map<?, ?> m) {
			Map<Object, Object> out = new LinkedHashMap<>();
			m.forEach((k, x) -> out.put(wrap(k), wrap(x)));
			return out;
		}
		if (v instanceof Collection<?> c) {
			List<Object> out = new ArrayList<>();
			c.forEach(x -> out.add(wrap(x)));
			return out;
		}
		if (v instanceof Object[] a) {
			return wrap(java.util.Arrays.asList(a));
		}
		if (v instanceof CharSequence cs) {
			return cs.toString();
		}
		return Objects.requireNonNull(v);
	}
}
