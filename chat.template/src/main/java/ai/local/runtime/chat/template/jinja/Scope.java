package ai.local.runtime.chat.template.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a template: a for loop and a macro call open a scope, whose assignments do
 * not reach the scope around it (Jinja's rule; a namespace is how a template carries a value out of a loop).
 */
final class Scope {
	private final Scope parent;
	private final Map<String, Object> vars = new HashMap<>();

	Scope(Scope parent) {
		this.parent = parent;
	}

	Object get(String name) {
		for (Scope s = this; s != null; s = s.parent) {
			if (s.vars.containsKey(name)) {
				return s.vars.get(name);
			}
		}
		return Undefined.of("'" + name + "'");
	}

	void set(String name, Object value) {
		vars.put(name, value);
	}
}
