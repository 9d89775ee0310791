package ai.local.runtime.http;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.http.codec.ErrorEncoder;
import ai.local.runtime.http.codec.Json;

/** The one place where an {@link ApiException} becomes an HTTP error response. */
final class ErrorWriter {

	private ErrorWriter() {
	}

	static void write(HttpServletResponse resp, ApiException e, Dialect dialect) throws IOException {
		write(resp, e, dialect, e.status());
	}

	/** With a status of its own: one the container chose that no {@link ai.local.runtime.api.ErrorType} has. */
	static void write(HttpServletResponse resp, ApiException e, Dialect dialect, int status) throws IOException {
		if (resp.isCommitted()) {
			return; // a stream already started; its sink reports the error in-band
		}
		resp.resetBuffer();
		resp.setStatus(status);
		resp.setContentType("application/json");
		resp.setCharacterEncoding("UTF-8");
		if (e.retryAfter() != null) {
			resp.setHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
		}
		if (e.permanent()) {
			resp.setHeader("x-should-retry", "false"); // the official SDKs would otherwise retry some of these
		}
		byte[] body = Json.bytes(switch (dialect) {
		case ANTHROPIC -> ErrorEncoder.anthropic(e);
		case OLLAMA -> ErrorEncoder.ollama(e);
		case OPENAI -> ErrorEncoder.openAi(e);
		});
		resp.setContentLength(body.length);
		resp.getOutputStream().write(body);
	}
}
