package ai.local.runtime.chat.template.jinja;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import ai.local.runtime.chat.template.TemplateException;

/** A parsed template; rendering is thread-safe (each render has its own scopes). */
public final class CompiledTemplate {
	private final List<Stmt> body;

	private CompiledTemplate(List<Stmt> body) {
		this.body = body;
	}

	public static CompiledTemplate compile(String source) {
		return new CompiledTemplate(Parser.parse(source));
	}

	/** @param variables JSON-like Java values (maps, lists, strings, numbers, booleans, null) */
	public String render(Map<String, ?> variables, Supplier<ZonedDateTime> now) {
		Scope globals = new Scope(null);
		Builtins.globals(now).forEach(globals::set);
		Scope root = new Scope(globals);
		variables.forEach((k, v) -> root.set(k, Py.wrap(v)));
		StringBuilder out = new StringBuilder();
		try {
			Stmt.run(body, root, out);
		} catch (Stmt.LoopControl c) {
			throw new TemplateException("'break' or 'continue' outside a loop");
		} catch (StackOverflowError e) {
			throw new TemplateException("the template recurses too deeply");
		} catch (ClassCastException | IndexOutOfBoundsException | NumberFormatException | ArithmeticException e) {
			throw new TemplateException("the template failed: " + e.getMessage());
		}
		return out.toString();
	}
}
