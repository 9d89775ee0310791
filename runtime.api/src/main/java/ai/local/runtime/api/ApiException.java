package ai.local.runtime.api;

import java.time.Duration;

/**
 * The one error type of the runtime: an OpenAI error type, its HTTP status, a message for the caller, and
 * optionally the request parameter at fault, an error code and a retry delay. The HTTP edge turns it into
 * {@code {"error":{"message","type","param","code"}}}; its message is shown to clients, so it never holds
 * secrets or stack traces.
 */
public class ApiException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	private final ErrorType type;
	private final String param;
	private final String code;
	private final Duration retryAfter;
	private final boolean permanent;

	public ApiException(ErrorType type, String message, String param, String code, Duration retryAfter,
			Throwable cause) {
		this(type, message, param, code, retryAfter, cause, type.permanent());
	}

	/**
	 * @param permanent whether a retry of the same request cannot succeed (clients are told not to retry); by
	 *                  default that follows the type, but a 502 for an upstream that refuses the configured key or
	 *                  a 503 for a file that is no model is permanent too
	 * @since 1.7
	 */
	public ApiException(ErrorType type, String message, String param, String code, Duration retryAfter,
			Throwable cause, boolean permanent) {
		super(message, cause);
		this.type = type;
		this.param = param;
		this.code = code;
		this.retryAfter = retryAfter;
		this.permanent = permanent;
	}

	public ApiException(ErrorType type, String message) {
		this(type, message, null, null, null, null);
	}

	public static ApiException invalidRequest(String message, String param) {
		return new ApiException(ErrorType.INVALID_REQUEST, message, param, null, null, null);
	}

	public static ApiException modelNotFound(String model) {
		return new ApiException(ErrorType.NOT_FOUND, "The model '" + model + "' does not exist", "model",
				"model_not_found", null, null);
	}

	public static ApiException notFound(String message) {
		return new ApiException(ErrorType.NOT_FOUND, message, null, "not_found", null, null);
	}

	public static ApiException overloaded(String message, Duration retryAfter) {
		return new ApiException(ErrorType.RATE_LIMIT, message, null, "overloaded", retryAfter, null);
	}

	public static ApiException upstream(String message, Throwable cause) {
		return new ApiException(ErrorType.UPSTREAM, message, null, null, null, cause);
	}

	public static ApiException unavailable(String message, Duration retryAfter) {
		return new ApiException(ErrorType.UNAVAILABLE, message, null, null, retryAfter, null);
	}

	public static ApiException timeout(String message) {
		return new ApiException(ErrorType.TIMEOUT, message, null, "timeout", null, null);
	}

	public ErrorType type() {
		return type;
	}

	public int status() {
		return type.status();
	}

	/** The request parameter at fault, e.g. {@code messages[0].role}; may be null. */
	public String param() {
		return param;
	}

	/** A machine-readable code, e.g. {@code model_not_found}; may be null. */
	public String code() {
		return code;
	}

	/** Whether retrying the same request cannot help ({@code x-should-retry: false}). @since 1.7 */
	public boolean permanent() {
		return permanent;
	}

	/** How long a client should wait before retrying; null when not applicable. */
	public Duration retryAfter() {
		return retryAfter;
	}
}
