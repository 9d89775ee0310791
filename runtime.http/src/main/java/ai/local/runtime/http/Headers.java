package ai.local.runtime.http;

/** Header values built from arbitrary text. */
final class Headers {

	private Headers() {
	}

	/** JSON text made safe for a header: non-ASCII characters as JSON escapes, control characters as spaces. */
	static String ascii(String json) {
		StringBuilder out = new StringBuilder(json.length());
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			if (c > 126) {
				out.append(String.format("\\u%04x", (int) c));
			} else if (c < 32) {
				out.append(' ');
			} else {
				out.append(c);
			}
		}
		return out.toString();
	}
}
