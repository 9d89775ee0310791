package ai.local.runtime.http;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.http.codec.Json;
import ai.local.runtime.http.sse.SseStream;
import ai.local.runtime.http.sse.StreamingSink;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Base of the API servlets: every failure leaves as an error object of the path's dialect (never a stack
 * trace or an HTML page), unsupported methods get 405, and JSON and SSE responses are written one way.
 */
abstract class ApiServlet extends HttpServlet {
	private static final long serialVersionUID = 1L;
	private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

	/** Whether this servlet serves the API behind {@link ApiFilter}; health and metrics do not. */
	protected boolean gated() {
		return true;
	}

	@Override
	protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		try {
			if (gated() && req.getAttribute(RequestRecord.ATTRIBUTE) == null) {
				// fail closed: without the filter there is no key check and no body limit
				throw ApiException.unavailable("The API filter is not active; see the log", Duration.ofSeconds(5));
			}
			switch (req.getMethod()) {
			case "GET" -> get(req, resp);
			case "POST" -> post(req, resp);
			case "DELETE" -> delete(req, resp);
			default -> throw methodNotAllowed(req);
			}
		} catch (ApiException e) {
			ErrorWriter.write(resp, e, Dialect.of(req.getRequestURI()));
		} catch (ClientGone e) {
			RequestRecord.of(req).failedStatus = ClientGone.STATUS; // nobody to answer
		} catch (RuntimeException e) {
			LOG.error("{} {} failed", req.getMethod(), req.getRequestURI(), e);
			ErrorWriter.write(resp, new ApiException(ErrorType.INTERNAL, "Internal error: " + e.getClass().getSimpleName()),
					Dialect.of(req.getRequestURI()));
		}
	}

	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		throw methodNotAllowed(req);
	}

	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		throw methodNotAllowed(req);
	}

	protected void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		throw methodNotAllowed(req);
	}

	private static ApiException methodNotAllowed(HttpServletRequest req) {
		return new ApiException(ErrorType.METHOD_NOT_ALLOWED, "Method " + req.getMethod() + " is not allowed on "
				+ req.getRequestURI(), null, "method_not_allowed", null, null);
	}

	protected static byte[] body(HttpServletRequest req) {
		Object body = req.getAttribute(ApiFilter.BODY);
		return body instanceof byte[] b ? b : new byte[0];
	}

	protected static void json(HttpServletResponse resp, int status, JsonNode body) throws IOException {
		byte[] bytes = Json.bytes(body);
		resp.setStatus(status);
		resp.setContentType("application/json;charset=utf-8");
		resp.setContentLength(bytes.length);
		resp.getOutputStream().write(bytes);
	}

	/** The result's notes as {@code x-runtime-<name>} headers; call before writing the body. */
	protected static void notes(HttpServletResponse resp, ChatResult result) {
		result.notes().forEach((name, value) -> resp.setHeader(StreamingSink.NOTE_HEADER_PREFIX + name, value));
	}

	/** An event stream whose headers are committed by its first event. */
	protected static SseStream sse(HttpServletResponse resp) {
		return new SseStream(headers -> {
			headers.forEach(resp::setHeader);
			resp.setStatus(200);
			resp.setContentType("text/event-stream");
			resp.setCharacterEncoding("UTF-8");
			resp.setHeader("Cache-Control", "no-cache");
			resp.setHeader("X-Accel-Buffering", "no"); // keep nginx in front from buffering the stream
			OutputStream out = resp.getOutputStream();
			resp.flushBuffer();
			return out;
		});
	}
}
