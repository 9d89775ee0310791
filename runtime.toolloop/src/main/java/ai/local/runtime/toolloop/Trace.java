package ai.local.runtime.toolloop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import ai.local.runtime.api.ChatSink;

/**
 * One JSON line per model call, tool call, plan and limit, when the request asked for {@code trace: true}. A
 * streamed run also sends each line as it happens (as a note, which a stream carries as a comment line).
 */
final class Trace {
	static final int RESULT_CHARS = 200;

	private final boolean on;
	private final ChatSink client;
	private final List<String> lines = new ArrayList<>();

	Trace(boolean on, ChatSink client) {
		this.on = on;
		this.client = client;
	}

	/** Alternating keys and values; null values are left out. */
	void add(Object... keysAndValues) {
		if (!on) {
			return;
		}
		Map<String, Object> entry = new LinkedHashMap<>();
		for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
			if (keysAndValues[i + 1] != null) {
				entry.put((String) keysAndValues[i], keysAndValues[i + 1]);
			}
		}
		String line;
		try {
			line = TextToolCalls.JSON.writeValueAsString(entry);
		} catch (JsonProcessingException e) {
			line = entry.toString();
		}
		lines.add(line);
		if (client != NoClient.INSTANCE) {
			client.note("trace", line);
		}
	}

	List<String> lines() {
		return lines;
	}

	static String shorten(String s) {
		return s == null || s.length() <= RESULT_CHARS ? s : s.substring(0, RESULT_CHARS) + "…";
	}

	/** Arguments as JSON when they are JSON, else as the text the model wrote. */
	static Object arguments(String json) {
		try {
			return TextToolCalls.JSON.readTree(json);
		} catch (JsonProcessingException | RuntimeException e) {
			return json;
		}
	}
}
