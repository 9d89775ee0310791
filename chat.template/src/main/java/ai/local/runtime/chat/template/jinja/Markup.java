package ai.local.runtime.chat.template.jinja;

/**
 * Text marked safe ({@code |safe}, {@code |escape}): printed as it is, and a plain string added to it with
 * {@code +} is HTML-escaped first, as markupsafe's Markup does (some templates rely on it unknowingly).
 */
record Markup(String text) {
	static String escape(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;")
				.replace("'", "&#39;");
	}

	/** Markup as its text; anything else as it is. */
	static Object unmark(Object v) {
		return v instanceof Markup m ? m.text : v;
	}
}
