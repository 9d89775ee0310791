package ai.local.runtime.http.codec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;

/**
 * Typed reads of request fields. Every wrong type or value is a 400 naming the parameter by its path, e.g.
 * {@code messages[2].content}.
 */
public final class Fields {

	private Fields() {
	}

	public static String path(String parent, String field) {
		return parent == null || parent.isEmpty() ? field : parent + "." + field;
	}

	public static String path(String parent, int index) {
		return parent + "[" + index + "]";
	}

	static JsonNode present(JsonNode obj, String field) {
		JsonNode v = obj.get(field);
		return v == null || v.isNull() ? null : v;
	}

	public static String requiredString(JsonNode obj, String field, String parent) {
		String s = optString(obj, field, parent);
		if (s == null || s.isEmpty()) {
			throw ApiException.invalidRequest("Missing required parameter: '" + path(parent, field) + "'",
					path(parent, field));
		}
		return s;
	}

	public static String optString(JsonNode obj, String field, String parent) {
		JsonNode v = present(obj, field);
		if (v == null) {
			return null;
		}
		if (!v.isTextual()) {
			throw wrongType(parent, field, "a string", v);
		}
		return v.textValue();
	}

	public static Boolean optBoolean(JsonNode obj, String field, String parent) {
		JsonNode v = present(obj, field);
		if (v == null) {
			return null;
		}
		if (!v.isBoolean()) {
			throw wrongType(parent, field, "a boolean", v);
		}
		return v.booleanValue();
	}

	public static Double optNumber(JsonNode obj, String field, String parent, double min, double max) {
		JsonNode v = present(obj, field);
		if (v == null) {
			return null;
		}
		if (!v.isNumber()) {
			throw wrongType(parent, field, "a number", v);
		}
		double d = v.doubleValue();
		if (d < min || d > max || Double.isNaN(d)) {
			throw ApiException.invalidRequest("Invalid '" + path(parent, field) + "': " + v.asText()
					+ " is out of range; expected a value from " + num(min) + " to " + num(max) + ".", path(parent, field));
		}
		return d;
	}

	public static Integer optInt(JsonNode obj, String field, String parent, int min, int max) {
		JsonNode v = present(obj, field);
		if (v == null) {
			return null;
		}
		if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
			throw wrongType(parent, field, "an integer", v);
		}
		long l = v.longValue();
		if (l < min || l > max) {
			throw ApiException.invalidRequest("Invalid '" + path(parent, field) + "': " + v.asText()
					+ " is out of range; expected an integer from " + min + " to " + max + ".", path(parent, field));
		}
		return (int) l;
	}

	public static Long optLong(JsonNode obj, String field, String parent) {
		JsonNode v = present(obj, field);
		if (v == null) {
			return null;
		}
		if (!v.isIntegralNumber() || !v.canConvertToLong()) {
			throw wrongType(parent, field, "an integer", v);
		}
		return v.longValue();
	}

	public static JsonNode optObject(JsonNode obj, String field, String parent) {
		JsonNode v = present(obj, field);
		if (v != null && !v.isObject()) {
			throw wrongType(parent, field, "an object", v);
		}
		return v;
	}

	public static JsonNode optArray(JsonNode obj, String field, String parent) {
		JsonNode v = present(obj, field);
		if (v != null && !v.isArray()) {
			throw wrongType(parent, field, "an array", v);
		}
		return v;
	}

	/** A string or an array of strings (as {@code stop} accepts). */
	public static List<String> optStrings(JsonNode obj, String field, String parent) {
		JsonNode v = present(obj, field);
		List<String> out = new ArrayList<>();
		if (v == null) {
			return out;
		}
		if (v.isTextual()) {
			out.add(v.textValue());
			return out;
		}
		if (!v.isArray()) {
			throw wrongType(parent, field, "a string or an array of strings", v);
		}
		for (int i = 0; i < v.size(); i++) {
			if (!v.get(i).isTextual()) {
				throw wrongType(path(parent, field), "[" + i + "]", "a string", v.get(i));
			}
			out.add(v.get(i).textValue());
		}
		return out;
	}

	public static ApiException wrongType(String parent, String field, String expected, JsonNode actual) {
		String p = field.isEmpty() ? parent : field.startsWith("[") ? parent + field : path(parent, field);
		return ApiException.invalidRequest("Invalid type for '" + p + "': expected " + expected + ", but got "
				+ describe(actual) + ".", p);
	}

	public static String describe(JsonNode v) {
		if (v == null || v.isNull()) {
			return "null";
		}
		if (v.isTextual()) {
			return "a string";
		}
		if (v.isBoolean()) {
			return "a boolean";
		}
		if (v.isIntegralNumber()) {
			return "an integer";
		}
		if (v.isNumber()) {
			return "a decimal";
		}
		if (v.isArray()) {
			return "an array";
		}
		return "an object";
	}

	private static String num(double d) {
		return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
	}
}
