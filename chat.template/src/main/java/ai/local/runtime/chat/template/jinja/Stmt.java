package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.local.runtime.chat.template.TemplateException;

/** A statement of the template, writing its output. */
interface Stmt {
	void exec(Scope scope, StringBuilder out);

	static void run(List<Stmt> body, Scope scope, StringBuilder out) {
		for (Stmt s : body) {
			s.exec(scope, out);
		}
	}

	/** {@code {% break %}} and {@code {% continue %}}, caught by the innermost loop. */
	final class LoopControl extends RuntimeException {
		private static final long serialVersionUID = 1L;
		static final LoopControl BREAK = new LoopControl();
		static final LoopControl CONTINUE = new LoopControl();

		private LoopControl() {
			super(null, null, false, false);
		}
	}

	record Text(String text) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			Scope.checkSize((long) out.length() + text.length());
			out.append(text);
		}
	}

	record Output(Expr value) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			String s = Py.str(value.eval(scope));
			Scope.checkSize((long) out.length() + s.length());
			out.append(s);
		}
	}

	record If(List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			for (int i = 0; i < tests.size(); i++) {
				if (Py.truth(tests.get(i).eval(scope))) {
					run(bodies.get(i), scope, out);
					return;
				}
			}
			run(otherwise, scope, out);
		}
	}

	record For(List<String> targets, Expr iterable, Expr filter, List<Stmt> body, List<Stmt> otherwise,
			boolean recursive) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			loop(scope, out, iterable.eval(scope), 0);
		}

		private void loop(Scope outer, StringBuilder out, Object value, int depth) {
			List<Object> items = Py.iterate(value);
			if (filter != null) {
				List<Object> kept = new ArrayList<>();
				for (Object item : items) {
					Scope s = new Scope(outer);
					bind(s, item);
					if (Py.truth(filter.eval(s))) {
						kept.add(item);
					}
				}
				items = kept;
			}

			Callable recurse = recursive ? (args, kw) -> {
				StringBuilder b = new StringBuilder();
				loop(outer, b, args.get(0), depth + 1);
				return b.toString();
			} : null;
			Loop loop = new Loop(items, depth, recurse);
			Object loopVar = recursive ? new RecursiveLoop(loop) : loop;
			for (int i = 0; i < items.size(); i++) {
				outer.step();
				loop.index0 = i;
				// each iteration starts again from the scope around the loop (Jinja2: nothing carries over)
				Scope scope = new Scope(outer);
				scope.set("loop", loopVar);
				bind(scope, items.get(i));
				try {
					run(body, scope, out);
				} catch (LoopControl c) {
					if (c == LoopControl.BREAK) {
						break;
					}
				}
			}
			if (items.isEmpty()) {
				run(otherwise, new Scope(outer), out);
			}
		}

		private void bind(Scope s, Object item) {
			if (targets.size() == 1) {
				s.set(targets.get(0), item);
				return;
			}
			List<Object> values = Py.iterate(item);
			if (values.size() != targets.size()) {
				throw new TemplateException("cannot unpack " + values.size() + " values into " + targets.size());
			}
			for (int i = 0; i < targets.size(); i++) {
				s.set(targets.get(i), values.get(i));
			}
		}
	}

	/** The loop variable of a recursive loop: also callable, {@code loop(children)}. */
	final class RecursiveLoop implements Callable {
		final Loop loop;

		RecursiveLoop(Loop loop) {
			this.loop = loop;
		}

		@Override
		public Object call(List<Object> args, Map<String, Object> kwargs) {
			return loop.recurse.call(args, kwargs);
		}
	}

	record Break() implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			throw LoopControl.BREAK;
		}
	}

	record Continue() implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			throw LoopControl.CONTINUE;
		}
	}

	/** {@code {% set x = v %}}, {@code {% set a, b = v %}}, {@code {% set ns.attr = v %}}. */
	record Set(List<String> targets, Expr namespace, Expr value) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			Object v = value.eval(scope);
			if (namespace != null) {
				Object ns = namespace.eval(scope);
				if (!(ns instanceof Namespace n)) {
					throw new TemplateException("cannot assign attribute on non-namespace object");
				}
				n.attributes.put(targets.get(0), v);
			} else if (targets.size() == 1) {
				scope.set(targets.get(0), v);
			} else {
				List<Object> values = Py.iterate(v);
				if (values.size() != targets.size()) {
					throw new TemplateException("cannot unpack " + values.size() + " values into " + targets.size());
				}
				for (int i = 0; i < targets.size(); i++) {
					scope.set(targets.get(i), values.get(i));
				}
			}
		}
	}

	/** {@code {% set x | filters %}body{% endset %}} */
	record SetBlock(String target, Expr namespace, List<Stmt> body, List<Expr.Filter> filters) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			StringBuilder b = new StringBuilder();
			run(body, scope, b);
			Object v = FilterBlock.apply(filters, b.toString(), scope);
			if (namespace != null) {
				Object ns = namespace.eval(scope);
				if (!(ns instanceof Namespace n)) {
					throw new TemplateException("cannot assign attribute on non-namespace object");
				}
				n.attributes.put(target, v);
			} else {
				scope.set(target, v);
			}
		}
	}

	record FilterBlock(List<Expr.Filter> filters, List<Stmt> body) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			StringBuilder b = new StringBuilder();
			run(body, scope, b);
			out.append(Py.str(apply(filters, b.toString(), scope)));
		}

		static Object apply(List<Expr.Filter> filters, Object value, Scope scope) {
			for (Expr.Filter f : filters) {
				value = f.fn().apply(value, f.args().values(scope), f.args().keywordValues(scope));
			}
			return value;
		}
	}

	/** transformers' {@code {% generation %}}: marks the assistant's part; renders its body. */
	record Block(List<Stmt> body) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			run(body, scope, out);
		}
	}

	record MacroDef(String name, List<String> params, List<Expr> defaults, List<Stmt> body) implements Stmt {
		@Override
		public void exec(Scope scope, StringBuilder out) {
			scope.set(name, new Macro(this, scope));
		}
	}

	/** A macro bound to the scope it was defined in; a call renders its body into a string. */
	record Macro(MacroDef def, Scope closure) implements Callable {
		@Override
		public Object call(List<Object> args, Map<String, Object> kwargs) {
			closure.step();
			Scope s = new Scope(closure);
			List<String> params = def.params();
			int firstDefault = params.size() - def.defaults().size();
			Map<String, Object> extra = new LinkedHashMap<>(kwargs);
			for (int i = 0; i < params.size(); i++) {
				String p = params.get(i);
				if (i < args.size()) {
					s.set(p, args.get(i));
				} else if (extra.containsKey(p)) {
					s.set(p, extra.remove(p));
				} else if (i >= firstDefault) {
					s.set(p, def.defaults().get(i - firstDefault).eval(s));
				} else {
					s.set(p, Undefined.of("parameter '" + p + "' was not provided"));
				}
			}
			s.set("varargs", args.size() > params.size() ? new ArrayList<>(args.subList(params.size(), args.size()))
					: new ArrayList<>());
			s.set("kwargs", new LinkedHashMap<Object, Object>(extra));
			StringBuilder out = new StringBuilder();
			run(def.body(), s, out);
			return out.toString();
		}
	}
}
