package ai.local.runtime.mcp;

import java.util.regex.Pattern;

/**
 * Takes credentials out of what is shown and logged about an MCP server: the user:password of a URL, the values
 * of query parameters and command-line options that name a token, key, secret or password, and such values in
 * an error's text. Headers are never shown at all.
 */
final class Redact {
	private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
	private static final String SECRET_NAME = "[a-z0-9_.-]*(?:token|key|secret|password|passwd|pwd|auth|sig|credential)[a-z0-9_.-]*";
	private static final Pattern QUERY_SECRET = Pattern.compile("(?i)([?&;]" + SECRET_NAME + "=)[^&#\\s]*");
	private static final Pattern OPTION_SECRET = Pattern.compile("(?i)((?:^|\\s)-{0,2}" + SECRET_NAME + "(?:=|\\s+))(?!-)\\S+");

	private Redact() {
	}

	static String text(String text) {
		if (text == null) {
			return null;
		}
		String t = USER_INFO.matcher(text).replaceAll("$1***@");
		t = QUERY_SECRET.matcher(t).replaceAll("$1***");
		return OPTION_SECRET.matcher(t).replaceAll("$1***");
	}
}
