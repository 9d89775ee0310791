package ai.local.runtime.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Turns as JSON, in the runtime's records' own shape with snake_case names ({@code tool_calls},
 * {@code tool_call_id}), so a stored session reads like the OpenAI messages it came from.
 */
final class TurnCodec {
	private static final ObjectMapper MAPPER = JsonMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.serializationInclusion(JsonInclude.Include.NON_EMPTY)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();
	private static final TypeReference<List<Turn>> TURNS = new TypeReference<>() {
	};

	private TurnCodec() {
	}

	static String write(Turn turn) {
		try {
			return MAPPER.writeValueAsString(turn);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static Turn readTurn(String json) {
		try {
			return MAPPER.readValue(json, Turn.class);
		} catch (IOException e) {
			throw new UncheckedIOException("a stored turn is not valid JSON: " + e.getMessage(), e);
		}
	}

	static byte[] writeAll(List<Turn> turns) {
		try {
			return MAPPER.writeValueAsBytes(turns);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static List<Turn> readAll(byte[] json) {
		try {
			return MAPPER.readValue(json, TURNS);
		} catch (IOException e) {
			throw new UncheckedIOException("a stored session is not valid JSON: " + e.getMessage(), e);
		}
	}
}
