package ai.local.runtime.api;

/** The OpenAI error type of an {@link ApiException}, with the HTTP status it is served with. */
public enum ErrorType {
	INVALID_REQUEST(400, "invalid_request_error"),
	AUTHENTICATION(401, "authentication_error"),
	PERMISSION(403, "permission_error"),
	NOT_FOUND(404, "not_found_error"),
	METHOD_NOT_ALLOWED(405, "invalid_request_error"),
	/** The client did not send its request in time. @since 1.7 */
	REQUEST_TIMEOUT(408, "invalid_request_error"),
	PAYLOAD_TOO_LARGE(413, "invalid_request_error"),
	/** @since 1.7 */
	UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error"),
	RATE_LIMIT(429, "rate_limit_error"),
	INTERNAL(500, "server_error"),
	UPSTREAM(502, "upstream_error"),
	UNAVAILABLE(503, "service_unavailable_error"),
	TIMEOUT(504, "timeout_error");

	private final int status;
	private final String wireName;

	ErrorType(int status, String wireName) {
		this.status = status;
		this.wireName = wireName;
	}

	public int status() {
		return status;
	}

	/** The value of the error object's {@code type} field. */
	public String wireName() {
		return wireName;
	}

	/** True for errors a retry cannot fix: clients are told not to retry ({@code x-should-retry: false}). */
	public boolean permanent() {
		return status >= 400 && status < 500 && status != 408 && status != 409 && status != 429;
	}
}
