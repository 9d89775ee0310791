package ai.local.runtime.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;

/**
 * Any other path under the API prefixes, and any path nothing else serves ("/" is the whiteboard's default
 * servlet): a JSON 404, not Jetty's HTML page.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/*", "/api/*", "/" })
@Component(service = Servlet.class)
public class UnknownEndpointServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	/** What {@code GET /} says: Ollama's clients probe the root for a 200 before they use the API. */
	static final String RUNNING = "Local AI Runtime is running";

	@Override
	protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if ("/".equals(req.getRequestURI()) && ("GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod()))) {
			resp.setStatus(200);
			resp.setContentType("text/plain;charset=utf-8");
			resp.getWriter().write(RUNNING);
			return;
		}
		ErrorWriter.write(resp, ApiException.notFound("Unknown endpoint: " + req.getMethod() + " "
				+ req.getRequestURI()), Dialect.of(req.getRequestURI()));
	}
}
