package ai.local.runtime.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;

/**
 * Errors the servlet container itself answers (a request it could not read, an exception that escaped) as the
 * API's JSON error object instead of Jetty's HTML page.
 */
@HttpWhiteboardServletErrorPage(errorPage = { "4xx", "5xx" })
@HttpWhiteboardServletName("runtime.http error page")
@Component(service = Servlet.class)
public class ErrorPageServlet extends HttpServlet {
	private static final long serialVersionUID = 1L;

	@Override
	protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = code instanceof Integer i ? i : resp.getStatus();
		Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		ErrorWriter.write(resp, containerError(status, req.getAttribute(RequestDispatcher.ERROR_MESSAGE)),
				Dialect.of(uri instanceof String u ? u : null), status);
	}

	/**
	 * An error the container (or Jetty itself) chose: its reason is shown for a 4xx if it is short text, never for a
	 * 5xx; only a 5xx may be worth retrying.
	 */
	static ApiException containerError(int status, Object reason) {
		String shown = status < 500 && reason instanceof String s && !s.isBlank() && s.length() < 200 ? s
				: status >= 500 ? "Internal error" : "HTTP " + status;
		return new ApiException(typeOf(status), "The request could not be served: " + shown, null, "http_" + status,
				null, null, status < 500);
	}

	private static ErrorType typeOf(int status) {
		for (ErrorType t : ErrorType.values()) {
			if (t.status() == status) {
				return t;
			}
		}
		return status >= 500 ? ErrorType.INTERNAL : ErrorType.INVALID_REQUEST;
	}
}
