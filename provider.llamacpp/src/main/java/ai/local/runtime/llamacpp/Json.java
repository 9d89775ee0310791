package ai.local.runtime.llamacpp;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The bundle's one Jackson mapper (thread-safe once configured). */
final class Json {
	static final ObjectMapper MAPPER = new ObjectMapper();

	private Json() {
	}
}
