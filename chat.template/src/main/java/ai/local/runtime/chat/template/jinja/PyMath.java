package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.chat.template.TemplateException;

/** Python's operators on template values: + - * / // % ** and unary minus, with Python's types and errors. */
final class PyMath {
	private PyMath() {
	}

	static Object arithmetic(String op, Object a, Object b) {
		if (a instanceof Undefined u) {
			throw u.error();
		}
		if (b instanceof Undefined u) {
			throw u.error();
		}
		if (op.equals("+") && (a instanceof String || a instanceof Markup) && (b instanceof String || b instanceof Markup)) {
			Scope.checkSize((long) Py.str(a).length() + Py.str(b).length());
		}
		if (op.equals("+") && (a instanceof Markup || b instanceof Markup)
				&& (a instanceof Markup || a instanceof String) && (b instanceof Markup || b instanceof String)) {
			return new Markup(escaped(a) + escaped(b));
		}
		a = Markup.unmark(a);
		b = Markup.unmark(b);
		switch (op) {
		case "+":
			if (a instanceof String x && b instanceof String y) {
				return x + y;
			}
			if (a instanceof List<?> x && b instanceof List<?> y && !(a instanceof Tuple) && !(b instanceof Tuple)) {
				Scope.checkSize((long) x.size() + y.size());
				List<Object> out = new ArrayList<>(x);
				out.addAll(y);
				return out;
			}
			if (a instanceof Tuple x && b instanceof Tuple y) {
				List<Object> out = new ArrayList<>(x);
				out.addAll(y);
				return new Tuple(out);
			}
			break;
		case "*":
			if (a instanceof String s && (b instanceof Long || b instanceof Boolean)) {
				return repeat(s, Py.toLong(b));
			}
			if (b instanceof String s && (a instanceof Long || a instanceof Boolean)) {
				return repeat(s, Py.toLong(a));
			}
			if (a instanceof List<?> l && (b instanceof Long)) {
				Scope.checkSize(l.size() * Math.max(0, Math.min((Long) b, Scope.MAX_SIZE + 1L)));
				List<Object> out = new ArrayList<>();
				for (long i = 0; i < (Long) b; i++) {
					out.addAll(l);
				}
				return out;
			}
			break;
		case "%":
			if (a instanceof String s) {
				return Format.percent(s, b);
			}
			break;
		default:
		}
		if (!Py.isNumber(a) || !Py.isNumber(b)) {
			throw new TemplateException("unsupported operand type(s) for " + op + ": '" + Py.typeName(a) + "' and '"
					+ Py.typeName(b) + "'");
		}
		boolean floats = a instanceof Double || b instanceof Double;
		switch (op) {
		case "+":
			return floats ? (Object) (Py.toDouble(a) + Py.toDouble(b)) : (Object) (Py.toLong(a) + Py.toLong(b));
		case "-":
			return floats ? (Object) (Py.toDouble(a) - Py.toDouble(b)) : (Object) (Py.toLong(a) - Py.toLong(b));
		case "*":
			return floats ? (Object) (Py.toDouble(a) * Py.toDouble(b)) : (Object) (Py.toLong(a) * Py.toLong(b));
		case "/":
			if (Py.toDouble(b) == 0) {
				throw new TemplateException("division by zero");
			}
			return Py.toDouble(a) / Py.toDouble(b);
		case "//":
			if (Py.toDouble(b) == 0) {
				throw new TemplateException("integer division or modulo by zero");
			}
			return floats ? (Object) Math.floor(Py.toDouble(a) / Py.toDouble(b))
					: (Object) Math.floorDiv(Py.toLong(a), Py.toLong(b));
		case "%":
			if (Py.toDouble(b) == 0) {
				throw new TemplateException("integer division or modulo by zero");
			}
			if (floats) {
				double x = Py.toDouble(a), y = Py.toDouble(b), r = x % y;
				return r != 0 && (r < 0) != (y < 0) ? r + y : r;
			}
			return Math.floorMod(Py.toLong(a), Py.toLong(b));
		case "**":
			if (!floats && Py.toLong(b) >= 0) {
				long r = 1, base = Py.toLong(a);
				for (long i = 0; i < Py.toLong(b); i++) {
					r *= base;
				}
				return r;
			}
			return Math.pow(Py.toDouble(a), Py.toDouble(b));
		default:
			throw new TemplateException("unknown operator " + op);
		}
	}

	private static String repeat(String s, long times) {
		long n = Math.max(0, Math.min(times, Scope.MAX_SIZE + 1L));
		Scope.checkSize(s.length() * n);
		return s.repeat((int) n);
	}

	private static String escaped(Object v) {
		return v instanceof Markup m ? m.text() : Markup.escape((String) v);
	}

	static Object negate(Object v) {
		if (v instanceof Double d) {
			return -d;
		}
		if (Py.isNumber(v)) {
			return -Py.toLong(v);
		}
		if (v instanceof Undefined u) {
			throw u.error();
		}
		throw new TemplateException("bad operand type for unary -: '" + Py.typeName(v) + "'");
	}
}
