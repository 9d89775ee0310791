package ai.local.runtime.llamacpp;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The bundle's one Jackson mapper (thread-safe once configured). */
final class Json {
	static final ObjectMapper MAPPER = new ObjectMapper();

	private Json() {
	}

	/** Whether the text parses as JSON (generated output that was cut does not). */
	static boolean parses(CharSequence text) {
		try {
			MAPPER.readTree(text.toString());
			return true;
		} catch (IOException cut) {
			return false;
		}
	}
}
