package ai.local.runtime.chat.template.jinja;

import ai.local.runtime.chat.template.TemplateException;

/**
 * Jinja's default undefined: prints as nothing, is false, iterates as empty, has length 0, and fails when an
 * attribute is read from it, it is called, or it takes part in arithmetic.
 *
 * @param hint what was missing, for the error message
 * @param unsafe an attribute the immutable sandbox refuses (calling it fails with that reason)
 */
record Undefined(String hint, boolean unsafe) {
	static Undefined of(String hint) {
		return new Undefined(hint, false);
	}

	TemplateException error() {
		return new TemplateException(unsafe ? hint : hint + " is undefined");
	}
}
