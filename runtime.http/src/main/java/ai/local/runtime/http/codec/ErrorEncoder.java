package ai.local.runtime.http.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;

/**
 * The error bodies: OpenAI's {@code {"error":{...}}}, Anthropic's {@code {"type":"error",...}} and Ollama's
 * {@code {"error":"..."}}.
 */
public final class ErrorEncoder {

	private ErrorEncoder() {
	}

	public static ObjectNode openAi(ApiException e) {
		ObjectNode o = Json.object();
		ObjectNode err = o.putObject("error");
		err.put("message", e.getMessage());
		err.put("type", e.type().wireName());
		err.put("param", e.param());
		err.put("code", e.code());
		return o;
	}

	public static ObjectNode anthropic(ApiException e) {
		ObjectNode o = Json.object();
		o.put("type", "error");
		ObjectNode err = o.putObject("error");
		err.put("type", anthropicType(e));
		err.put("message", e.getMessage());
		return o;
	}

	/** Ollama's {@code {"error": "..."}}. */
	public static ObjectNode ollama(ApiException e) {
		return Json.object().put("error", e.getMessage());
	}

	private static String anthropicType(ApiException e) {
		return switch (e.type()) {
		case INVALID_REQUEST, PAYLOAD_TOO_LARGE -> e.status() == 413 ? "request_too_large" : "invalid_request_error";
		case AUTHENTICATION -> "authentication_error";
		case PERMISSION -> "permission_error";
		case NOT_FOUND -> "not_found_error";
		case RATE_LIMIT -> "rate_limit_error";
		case UNAVAILABLE -> "overloaded_error";
		default -> "api_error";
		};
	}
}
