package ai.local.runtime.chat.template.jinja;

import java.util.HashMap;
import java.util.Map;

import ai.local.runtime.chat.template.TemplateException;

/**
 * Variables visible at one point of a template: a for loop and a macro call open a scope, whose assignments do
 * not reach the scope around it (Jinja's rule; a namespace is how a template carries a value out of a loop).
 */
final class Scope {
	/** Steps (loop iterations, macro calls) one render may take: a template from a model file is not trusted. */
	static final long MAX_STEPS = 20_000_000;
	/** Characters one string (and the output) may hold; items one list may hold. */
	static final int MAX_SIZE = 16 << 20;

	private final Scope parent;
	private final long[] steps;
	private final Map<String, Object> vars = new HashMap<>();

	Scope(Scope parent) {
		this.parent = parent;
		this.steps = parent == null ? new long[1] : parent.steps;
	}

	/** Counts one step of the render; too many is an error, not a hung request. */
	void step() {
		if (++steps[0] > MAX_STEPS) {
			throw new TemplateException("the template takes more than " + MAX_STEPS + " steps");
		}
	}

	static void checkSize(long size) {
		if (size > MAX_SIZE) {
			throw new TemplateException("the template makes a value of " + size + " characters or items; at most "
					+ MAX_SIZE + " are allowed");
		}
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
