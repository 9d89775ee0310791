package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.local.runtime.chat.template.TemplateException;

/** Reading into template values as Jinja does: {@code obj.name}, {@code obj[key]} and slices with a step. */
final class PyAccess {
	private PyAccess() {
	}


	/** {@code obj.name}: an attribute (a method) first, then an item, as Jinja's getattr. */
	static Object getattr(Object obj, String name) {
		obj = Markup.unmark(obj);
		if (obj instanceof Undefined u) {
			throw u.error();
		}
		Object attr = Methods.attribute(obj, name);
		if (attr != Py.MISSING) {
			return attr;
		}
		if (obj instanceof Map<?, ?> m) {
			Object k = Py.findKey(m, name);
			if (k != Py.MISSING) {
				return m.get(k);
			}
		}
		return Undefined.of("'" + describe(obj) + "' has no attribute '" + name + "'");
	}

	/** {@code obj[key]}: an item first, then an attribute, as Jinja's getitem. */
	static Object getitem(Object obj, Object key) {
		obj = Markup.unmark(obj);
		key = Markup.unmark(key);
		if (obj instanceof Undefined u) {
			throw u.error();
		}
		if (obj instanceof Map<?, ?> m) {
			Object k = Py.findKey(m, key);
			if (k != Py.MISSING) {
				return m.get(k);
			}
		} else if ((obj instanceof List || obj instanceof String) && (key instanceof Long || key instanceof Boolean)) {
			long i = Py.toLong(key);
			if (obj instanceof List<?> l) {
				long j = i < 0 ? l.size() + i : i;
				if (j >= 0 && j < l.size()) {
					return l.get((int) j);
				}
			} else {
				int[] cps = ((String) obj).codePoints().toArray();
				long j = i < 0 ? cps.length + i : i;
				if (j >= 0 && j < cps.length) {
					return new String(cps, (int) j, 1);
				}
			}
			return Undefined.of(describe(obj) + " has no element " + key);
		}
		if (key instanceof String name) {
			Object attr = Methods.attribute(obj, name);
			if (attr != Py.MISSING) {
				return attr;
			}
		}
		return Undefined.of("'" + describe(obj) + "' has no attribute '" + Py.str(key) + "'");
	}

	static Object slice(Object obj, Object start, Object stop, Object step) {
		obj = Markup.unmark(obj);
		long st = step == null ? 1 : Py.toLong(step);
		if (st == 0) {
			throw new TemplateException("slice step cannot be zero");
		}
		List<Object> items;
		boolean string = obj instanceof String;
		if (string) {
			items = Py.iterate(obj);
		} else if (obj instanceof List<?> l) {
			items = new ArrayList<>(l);
		} else if (obj instanceof Undefined u) {
			throw u.error();
		} else {
			throw new TemplateException("'" + Py.typeName(obj) + "' object is not subscriptable");
		}
		int n = items.size();
		long lo, hi;
		if (st > 0) {
			lo = start == null ? 0 : clamp(Py.toLong(start), n, 0, n);
			hi = stop == null ? n : clamp(Py.toLong(stop), n, 0, n);
		} else {
			lo = start == null ? n - 1 : clamp(Py.toLong(start), n, -1, n - 1);
			hi = stop == null ? -1 : clamp(Py.toLong(stop), n, -1, n - 1);
		}
		List<Object> out = new ArrayList<>();
		for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
			out.add(items.get((int) i));
		}
		if (string) {
			StringBuilder b = new StringBuilder();
			out.forEach(b::append);
			return b.toString();
		}
		return obj instanceof Tuple ? new Tuple(out) : out;
	}

	private static long clamp(long i, int n, long min, long max) {
		if (i < 0) {
			i += n;
		}
		return Math.max(min, Math.min(max, i));
	}

	private static String describe(Object obj) {
		return obj instanceof Map ? "dict object" : obj instanceof List ? "list object" : Py.typeName(obj) + " object";
	}
}
