package ai.local.runtime.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.settings.SettingsReader;

/**
 * {@code GET /metrics}: Prometheus text exposition format 0.0.4. Behind the API keys when keys are configured
 * (model names and traffic are the operator's business), unless {@code metrics.public} opens it for a scraper.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern("/metrics")
@Component(service = Servlet.class, configurationPid = HttpConfig.PID)
public class MetricsServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Metrics metrics;
	private final transient BundleContext context;
	private transient volatile ApiKeys keys;

	@Activate
	public MetricsServlet(@Reference Metrics metrics, BundleContext context, HttpConfig config) {
		this.metrics = metrics;
		this.context = context;
		configure(config);
	}

	@Modified
	void configure(HttpConfig config) {
		HttpSettings s = HttpSettings.of(config, SettingsReader.environment(context));
		keys = new ApiKeys(s.metricsPublic() ? List.of() : s.apiKeys());
	}

	@Override
	protected boolean gated() {
		return false;
	}

	@Override
	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		ApiKeys k = keys;
		if (k.enabled() && !k.accepts(ApiKeys.presented(req))) {
			throw ApiFilter.unauthorized();
		}
		byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
		resp.setStatus(200);
		resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
		resp.setContentLength(body.length);
		resp.getOutputStream().write(body);
	}
}
