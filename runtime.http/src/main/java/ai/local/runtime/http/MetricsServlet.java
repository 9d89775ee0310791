package ai.local.runtime.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /metrics}: Prometheus text exposition format 0.0.4. */
@HttpWhiteboardServletPattern("/metrics")
@Component(service = Servlet.class)
public class MetricsServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Metrics metrics;

	@Activate
	public MetricsServlet(@Reference Metrics metrics) {
		this.metrics = metrics;
	}

	@Override
	protected boolean gated() {
		return false;
	}

	@Override
	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
		resp.setStatus(200);
		resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
		resp.setContentLength(body.length);
		resp.getOutputStream().write(body);
	}
}
