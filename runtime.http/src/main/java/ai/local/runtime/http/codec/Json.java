package ai.local.runtime.http.codec;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;

/** The one Jackson mapper of the runtime's HTTP edge, and the conversions every codec shares. */
public final class Json {

	public static final ObjectMapper MAPPER = JsonMapper.builder()
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			// {"model":"a","model":"b"}: which one a proxy or a logger in front saw is anyone's guess
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build();

	static {
		// request bodies are already bounded by max.body.bytes; lift Jackson's 20 MB string cap to match
		MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
				.maxStringLength(Integer.MAX_VALUE).maxNestingDepth(200).build());
	}

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private Json() {
	}

	/** Parses a request body; malformed JSON is a 400 that says where it broke. */
	public static JsonNode parse(byte[] body) {
		if (body.length == 0) {
			throw ApiException.invalidRequest("The request body is empty; expected a JSON object", null);
		}
		try {
			JsonNode node = MAPPER.readTree(body);
			if (node == null || !node.isObject()) {
				throw ApiException.invalidRequest("The request body must be a JSON object", null);
			}
			return node;
		} catch (JsonProcessingException e) {
			// a constraint's message names the Jackson setting behind it; the client needs only the limit
			String why = String.valueOf(e.getOriginalMessage()).replaceAll(",? from `[^`]*`", "");
			throw ApiException.invalidRequest("Could not parse the JSON body: " + why + where(e), null);
		} catch (IOException e) {
			throw ApiException.invalidRequest("Could not read the request body: " + e.getMessage(), null);
		}
	}

	/**
	 * Where the parser stopped; a constraint Jackson enforces (nesting depth, number length) has no location, and a
	 * location may be unknown (-1).
	 */
	private static String where(JsonProcessingException e) {
		JsonLocation at = e.getLocation();
		if (at == null || at.getLineNr() < 1) {
			return "";
		}
		return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
	}

	public static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	/** A JSON object as plain Java values (maps, lists, strings, numbers, booleans). */
	public static Map<String, Object> toMap(JsonNode node) {
		return MAPPER.convertValue(node, MAP);
	}

	public static JsonNode toNode(Object value) {
		return MAPPER.valueToTree(value);
	}

	public static byte[] bytes(JsonNode node) {
		try {
			return MAPPER.writeValueAsBytes(node);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("a JSON tree always serialises", e);
		}
	}

	public static String string(JsonNode node) {
		try {
			return MAPPER.writeValueAsString(node);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("a JSON tree always serialises", e);
		}
	}

	/** Parses a tool call's JSON-string arguments into an object, or null when they are not a JSON object. */
	public static JsonNode argumentsObject(String arguments) {
		if (arguments == null || arguments.isBlank()) {
			return object();
		}
		try {
			JsonNode node = MAPPER.readTree(arguments);
			return node != null && node.isObject() ? node : null;
		} catch (JsonProcessingException e) {
			return null; // the model produced invalid JSON; callers decide how to pass it on
		}
	}
}
