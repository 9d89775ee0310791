package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.local.runtime.chat.template.TemplateException;

/** An expression of the template, evaluated in a scope. */
interface Expr {
	Object eval(Scope scope);

	record Const(Object value) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return value;
		}
	}

	record Name(String name) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return scope.get(name);
		}
	}

	record Attr(Expr target, String name) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return PyAccess.getattr(target.eval(scope), name);
		}
	}

	record Item(Expr target, Expr key) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return PyAccess.getitem(target.eval(scope), key.eval(scope));
		}
	}

	record Slice(Expr target, Expr start, Expr stop, Expr step) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return PyAccess.slice(target.eval(scope), value(start, scope), value(stop, scope), value(step, scope));
		}

		private static Object value(Expr e, Scope scope) {
			return e == null ? null : e.eval(scope);
		}
	}

	/** Positional and keyword arguments, as written. */
	record Args(List<Expr> positional, Map<String, Expr> keywords) {
		static final Args NONE = new Args(List.of(), Map.of());

		List<Object> values(Scope scope) {
			List<Object> out = new ArrayList<>(positional.size());
			for (Expr e : positional) {
				out.add(e.eval(scope));
			}
			return out;
		}

		Map<String, Object> keywordValues(Scope scope) {
			Map<String, Object> out = new LinkedHashMap<>();
			keywords.forEach((k, e) -> out.put(k, e.eval(scope)));
			return out;
		}
	}

	record Call(Expr target, Args args) implements Expr {
		@Override
		public Object eval(Scope scope) {
			Object fn = target.eval(scope);
			if (fn instanceof Undefined u) {
				throw u.error();
			}
			if (!(fn instanceof Callable c)) {
				throw new TemplateException("'" + Py.typeName(fn) + "' object is not callable");
			}
			return c.call(args.values(scope), args.keywordValues(scope));
		}
	}

	record Filter(Expr value, String name, Builtins.FilterFn fn, Args args) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return fn.apply(value.eval(scope), args.values(scope), args.keywordValues(scope));
		}
	}

	record Test(Expr value, String name, Builtins.TestFn fn, Args args, boolean negated) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return fn.test(value.eval(scope), args.values(scope)) != negated;
		}
	}

	record Not(Expr operand) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return !Py.truth(operand.eval(scope));
		}
	}

	record Negate(Expr operand) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return PyMath.negate(operand.eval(scope));
		}
	}

	record And(Expr left, Expr right) implements Expr {
		@Override
		public Object eval(Scope scope) {
			Object l = left.eval(scope);
			return Py.truth(l) ? right.eval(scope) : l;
		}
	}

	record Or(Expr left, Expr right) implements Expr {
		@Override
		public Object eval(Scope scope) {
			Object l = left.eval(scope);
			return Py.truth(l) ? l : right.eval(scope);
		}
	}

	record Arithmetic(String op, Expr left, Expr right) implements Expr {
		@Override
		public Object eval(Scope scope) {
			return PyMath.arithmetic(op, left.eval(scope), right.eval(scope));
		}
	}

	/** {@code a ~ b ~ c}: the str() of each, joined. */
	record Concat(List<Expr> parts) implements Expr {
		@Override
		public Object eval(Scope scope) {
			StringBuilder b = new StringBuilder();
			for (Expr e : parts) {
				String s = Py.str(e.eval(scope));
				Scope.checkSize((long) b.length() + s.length());
				b.append(s);
			}
			return b.toString();
		}
	}

	record Compare(Expr first, List<String> ops, List<Expr> rest) implements Expr {
		@Override
		public Object eval(Scope scope) {
			Object left = first.eval(scope);
			for (int i = 0; i < ops.size(); i++) {
				Object right = rest.get(i).eval(scope);
				if (!compare(ops.get(i), left, right)) {
					return false;
				}
				left = right;
			}
			return true;
		}

		static boolean compare(String op, Object a, Object b) {
			return switch (op) {
			case "==" -> Py.eq(a, b);
			case "!=" -> !Py.eq(a, b);
			case "<" -> Py.compare(a, b) < 0;
			case "<=" -> Py.compare(a, b) <= 0;
			case ">" -> Py.compare(a, b) > 0;
			case ">=" -> Py.compare(a, b) >= 0;
			case "in" -> Py.contains(b, a);
			case "notin" -> !Py.contains(b, a);
			default -> throw new TemplateException("unknown comparison " + op);
			};
		}
	}

	record Conditional(Expr test, Expr then, Expr otherwise) implements Expr {
		@Override
		public Object eval(Scope scope) {
			if (Py.truth(test.eval(scope))) {
				return then.eval(scope);
			}
			return otherwise == null ? Undefined.of("the else branch of an inline if") : otherwise.eval(scope);
		}
	}

	record ListLiteral(List<Expr> items, boolean tuple) implements Expr {
		@Override
		public Object eval(Scope scope) {
			List<Object> out = new ArrayList<>(items.size());
			for (Expr e : items) {
				out.add(e.eval(scope));
			}
			return tuple ? new Tuple(out) : out;
		}
	}

	record DictLiteral(List<Expr> keys, List<Expr> values) implements Expr {
		@Override
		public Object eval(Scope scope) {
			Map<Object, Object> out = new LinkedHashMap<>();
			for (int i = 0; i < keys.size(); i++) {
				out.put(keys.get(i).eval(scope), values.get(i).eval(scope));
			}
			return out;
		}
	}
}
