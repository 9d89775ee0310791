package ai.local.runtime.itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a server-sent-event stream strictly: every event ends with a blank line, fields are 'event' and 'data'. */
final class SseEvents implements AutoCloseable {

	record Event(String name, String data) {
	}

	private final BufferedReader reader;

	SseEvents(InputStream in) {
		this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
	}

	/** The next event, or null at the end of the stream. */
	Event next() throws IOException {
		String name = null;
		StringBuilder data = null;
		String line;
		while ((line = reader.readLine()) != null) {
			if (line.isEmpty()) {
				if (data != null) {
					return new Event(name, data.toString());
				}
				continue;
			}
			if (line.startsWith(":")) {
				continue;
			}
			if (line.startsWith("event: ")) {
				name = line.substring(7);
			} else if (line.startsWith("data: ")) {
				data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
			} else {
				throw new IOException("not an SSE line: " + line);
			}
		}
		if (data != null || name != null) {
			throw new IOException("stream ended inside an event");
		}
		return null;
	}

	List<Event> all() throws IOException {
		List<Event> events = new ArrayList<>();
		for (Event e = next(); e != null; e = next()) {
			events.add(e);
		}
		return events;
	}

	@Override
	public void close() throws IOException {
		reader.close();
	}
}
