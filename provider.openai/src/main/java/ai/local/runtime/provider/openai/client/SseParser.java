package ai.local.runtime.provider.openai.client;

/**
 * An incremental parser of {@code text/event-stream}, fed one line at a time (as {@link java.io.BufferedReader}
 * splits them: on CR, LF or CRLF, as the format allows). It returns an event at the blank line that ends it;
 * comment lines ({@code :ping}), {@code id} and {@code retry} fields are skipped, and several {@code data}
 * lines are joined with '\n' (WHATWG HTML, "Parsing an event stream").
 */
public final class SseParser {
	private final StringBuilder data = new StringBuilder();
	private String event;
	private boolean hasData;

	/** The event this line completes, or null. */
	public SseEvent accept(String line) {
		if (line.isEmpty()) {
			return dispatch();
		}
		if (line.charAt(0) == ':') {
			return null;
		}
		int colon = line.indexOf(':');
		String field = colon < 0 ? line : line.substring(0, colon);
		String value = colon < 0 ? "" : line.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		if (field.equals("data")) {
			if (hasData) {
				data.append('\n');
			}
			data.append(value);
			hasData = true;
		} else if (field.equals("event")) {
			event = value;
		}
		return null;
	}

	/** At the end of the stream: an event whose closing blank line never came, or null. */
	public SseEvent end() {
		return dispatch();
	}

	private SseEvent dispatch() {
		SseEvent out = hasData ? new SseEvent(event == null || event.isEmpty() ? "message" : event, data.toString())
				: null;
		data.setLength(0);
		hasData = false;
		event = null;
		return out;
	}
}
