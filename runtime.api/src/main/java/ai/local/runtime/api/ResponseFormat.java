package ai.local.runtime.api;

import java.util.Map;

/**
 * The requested output format.
 *
 * @param type text, json_object or json_schema
 * @param name the schema's name (json_schema only)
 * @param schema the JSON Schema as plain Java values (json_schema only)
 * @param strict whether the schema must be followed exactly
 */
public record ResponseFormat(Type type, String name, Map<String, Object> schema, boolean strict) {

	public enum Type {
		TEXT, JSON_OBJECT, JSON_SCHEMA
	}

	public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);
	public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, false);
}
