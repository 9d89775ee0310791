package ai.local.runtime.provider.openai.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;

/**
 * Turns an upstream's failures into errors a client can act on, each naming the upstream: unreachable → 503
 * with Retry-After, too slow → 504, broken or garbled → 502; the upstream's own 4xx answers keep their status
 * and message.
 */
public final class UpstreamErrors {
	private static final Duration RETRY_UNREACHABLE = Duration.ofSeconds(5);

	private UpstreamErrors() {
	}

	static ApiException io(Upstream u, IOException e) {
		if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
			// HttpHostConnectException (refused) is a ConnectException
			return ApiException.unavailable("Upstream " + u.label() + " cannot be reached (" + reason(e)
					+ "); is it running?", RETRY_UNREACHABLE);
		}
		if (e instanceof SocketTimeoutException) {
			return ApiException.timeout("Upstream " + u.label() + " sent nothing for "
					+ u.readTimeout().toSeconds() + " s (read timeout)");
		}
		if (e instanceof InterruptedIOException) {
			// connect timeout, or no pooled connection free in time
			return ApiException.timeout("Upstream " + u.label() + " did not accept a connection in time ("
					+ reason(e) + ")");
		}
		if (e instanceof UnknownHostException) {
			return ApiException.upstream("Upstream " + u.label() + ": unknown host " + e.getMessage(), e);
		}
		if (e instanceof SSLException) {
			return ApiException.upstream("Upstream " + u.label() + ": TLS failed: " + reason(e), e);
		}
		return ApiException.upstream("Upstream " + u.label() + " failed: " + reason(e), e);
	}

	/** An HTTP error answer; {@code body} may be anything, {@code retryAfter} the header or null. */
	static ApiException status(Upstream u, int status, String body, String retryAfter, boolean callerKeyForwarded) {
		String detail = message(body);
		String says = "Upstream " + u.label() + " answered " + status + (detail.isEmpty() ? "" : ": " + detail);
		return switch (status) {
			case 400, 413, 422 -> new ApiException(status == 413 ? ErrorType.PAYLOAD_TOO_LARGE : ErrorType.INVALID_REQUEST,
					says, null, null, null, null);
			case 401, 403 -> callerKeyForwarded
					? new ApiException(status == 401 ? ErrorType.AUTHENTICATION : ErrorType.PERMISSION, says, null,
							"invalid_api_key", null, null)
					: new ApiException(ErrorType.UPSTREAM, says + " (check the provider's api.key)", null,
							"upstream_auth", null, null, true);
			case 404 -> new ApiException(ErrorType.NOT_FOUND, says, "model", "model_not_found", null, null);
			case 408, 504 -> ApiException.timeout(says);
			case 429 -> ApiException.overloaded(says, seconds(retryAfter, Duration.ofSeconds(1)));
			case 503 -> ApiException.unavailable(says, seconds(retryAfter, RETRY_UNREACHABLE));
			default -> ApiException.upstream(says, null);
		};
	}

	/** A 502 saying the upstream sent {@code what}, showing the start of {@code text}. */
	public static ApiException garbled(Upstream u, String what, String text) {
		String shown = (text.length() > 200 ? text.substring(0, 200) + "..." : text).strip();
		return ApiException.upstream("Upstream " + u.label() + " sent " + what + (shown.isEmpty() ? "" : ": " + shown),
				null);
	}

	/** The message of an OpenAI ({@code error.message}) or Ollama ({@code error}) error body, else the text. */
	static String message(String body) {
		if (body == null || body.isBlank()) {
			return "";
		}
		try {
			JsonNode n = OpenAiWire.MAPPER.readTree(body);
			JsonNode e = n == null ? null : n.get("error");
			if (e != null && e.isTextual()) {
				return e.asText();
			}
			if (e != null && e.hasNonNull("message")) {
				return e.get("message").asText();
			}
			if (n != null && n.hasNonNull("detail")) {
				return n.get("detail").isTextual() ? n.get("detail").asText() : n.get("detail").toString();
			}
			if (n != null && n.hasNonNull("message")) {
				return n.get("message").asText();
			}
		} catch (IOException notJson) {
			// shown as text below
		}
		String text = body.strip();
		return text.length() > 300 ? text.substring(0, 300) + "..." : text;
	}

	private static Duration seconds(String header, Duration fallback) {
		try {
			return header == null ? fallback : Duration.ofSeconds(Math.max(1, Long.parseLong(header.trim())));
		} catch (NumberFormatException dateForm) {
			return fallback;
		}
	}

	private static String reason(Throwable e) {
		return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
	}
}
