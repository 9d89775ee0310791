package ai.local.runtime.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ProviderStatus;
import ai.local.runtime.http.codec.Json;

/**
 * Liveness ({@code /health}, {@code /health/live}): 200 while the router runs, once the provider bundles found
 * in deploy/ at start have been started (503 "starting" before). Readiness
 * ({@code /health/ready}, {@code /ready}): 200 once the default provider is installed and ready, 503 while it
 * is missing or loading, with the reason.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/health", "/health/live", "/health/ready", "/ready" })
@Component(service = Servlet.class)
public class HealthServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient ProviderRegistry registry;

	@Activate
	public HealthServlet(@Reference ProviderRegistry registry) {
		this.registry = registry;
	}

	@Override
	protected boolean gated() {
		return false;
	}

	@Override
	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		String path = req.getServletPath();
		ObjectNode body = Json.object();
		if (!registry.started()) {
			// "ok" means ready to route: not before the provider bundles found in deploy/ at start are started
			body.put("status", "starting");
			body.put("detail", "starting the provider bundles in deploy/");
			resp.setHeader("Retry-After", "1");
			json(resp, 503, body);
			return;
		}
		if (!path.equals("/health/ready") && !path.equals("/ready")) {
			body.put("status", "ok");
			json(resp, 200, body);
			return;
		}
		ProviderEntry def = registry.defaultEntry();
		ProviderStatus status;
		if (def == null) {
			status = ProviderStatus.unavailable("default provider '" + registry.defaultProviderName()
					+ "' is not installed");
		} else {
			try {
				status = def.provider().status();
			} catch (RuntimeException | LinkageError e) {
				status = ProviderStatus.unavailable("default provider failed: " + e);
			}
		}
		boolean ready = status.state() == ProviderStatus.State.READY;
		body.put("status", ready ? "ready" : status.state().name().toLowerCase());
		body.put("provider", registry.defaultProviderName());
		if (status.detail() != null) {
			body.put("detail", status.detail());
		}
		if (!ready) {
			resp.setHeader("Retry-After", "5");
		}
		json(resp, ready ? 200 : 503, body);
	}
}
