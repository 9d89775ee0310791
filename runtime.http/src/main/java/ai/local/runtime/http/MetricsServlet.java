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

import ai.local.runtime.api.ModelSlots;
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
	private final transient ProviderRegistry registry;
	private final transient BundleContext context;
	private transient volatile ApiKeys keys;

	@Activate
	public MetricsServlet(@Reference Metrics metrics, @Reference ProviderRegistry registry, BundleContext context,
			HttpConfig config) {
		this.metrics = metrics;
		this.registry = registry;
		this.context = context;
		configure(config);
	}

	@Modified
	void configure(HttpConfig config) {
		HttpSettings s = HttpSettings.of(config, SettingsReader.environment(context));
		keys = new ApiKeys(s.metricsPublic() ? List.of() : s.apiKeys());
	}

	/** The loaded models of every provider: their memory and file size. */
	private String loadedModels() {
		StringBuilder sb = new StringBuilder();
		sb.append("# HELP runtime_model_memory_bytes Memory a loaded model takes (weights, KV cache, compute; estimated).\n");
		sb.append("# TYPE runtime_model_memory_bytes gauge\n");
		StringBuilder files = new StringBuilder();
		files.append("# HELP runtime_model_file_bytes Size of a loaded model's file.\n");
		files.append("# TYPE runtime_model_file_bytes gauge\n");
		for (ProviderEntry e : registry.providers()) {
			try {
				for (ModelSlots m : e.provider().loaded()) {
					String labels = "{provider=\"" + Metrics.escape(e.name()) + "\",model=\"" + Metrics.escape(m.model()) + "\"}";
					sb.append("runtime_model_memory_bytes").append(labels).append(' ').append(m.memoryBytes()).append('\n');
					files.append("runtime_model_file_bytes").append(labels).append(' ').append(m.sizeBytes()).append('\n');
				}
			} catch (RuntimeException | LinkageError gone) {
				// a provider going away lists nothing
			}
		}
		return sb.append(files).toString();
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
		byte[] body = (metrics.render() + loadedModels()).getBytes(StandardCharsets.UTF_8);
		resp.setStatus(200);
		resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
		resp.setContentLength(body.length);
		resp.getOutputStream().write(body);
	}
}
