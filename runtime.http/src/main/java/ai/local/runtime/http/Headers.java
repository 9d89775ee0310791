package ai.local.runtime.http;

import java.util.List;

/** Header values built from arbitrary text. */
final class Headers {

	private Headers() {
	}

	/**
	 * JSON objects as one JSON array no longer than about {@code maxChars}; entries that do not fit are left out
	 * and counted in a last {@code {"kind":"truncated","left_out":N}}.
	 */
	static String jsonArray(List<String> objects, int maxChars) {
		StringBuilder out = new StringBuilder("[");
		int i = 0;
		for (; i < objects.size(); i++) {
			String entry = ascii(objects.get(i));
			if (out.length() + entry.length() + 40 > maxChars) {
				break;
			}
			out.append(i == 0 ? "" : ",").append(entry);
		}
		if (i < objects.size()) {
			out.append(i == 0 ? "" : ",").append("{\"kind\":\"truncated\",\"left_out\":").append(objects.size() - i)
					.append('}');
		}
		return out.append(']').toString();
	}

	/** JSON text made safe for a header: non-ASCII characters as JSON escapes, control characters as spaces. */
	private static String ascii(String json) {
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
