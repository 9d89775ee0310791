package ai.local.runtime.http;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ProviderStatus;
import ai.local.runtime.http.codec.Json;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: every provider's models, the default provider's
 * unprefixed and the others' as {@code provider:id}. A provider that fails to list is skipped and reported in
 * {@code providers[]}, never a 500.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/models", "/v1/models/*", "/api/v1/models", "/api/v1/models/*" })
@Component(service = Servlet.class)
public class ModelsServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;
	private static final Logger LOG = LoggerFactory.getLogger(ModelsServlet.class);

	private final transient ProviderRegistry registry;

	@Activate
	public ModelsServlet(@Reference ProviderRegistry registry) {
		this.registry = registry;
	}

	@Override
	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		String one = req.getPathInfo();
		registry.awaitStartup(); // an empty list while the providers start would read as "no models"
		ObjectNode list = list();
		if (one == null || one.equals("/")) {
			json(resp, 200, list);
			return;
		}
		String id = one.substring(1);
		for (var m : list.get("data")) {
			if (m.get("id").asText().equals(id)) {
				json(resp, 200, m);
				return;
			}
		}
		throw ApiException.modelNotFound(id);
	}

	private ObjectNode list() {
		ObjectNode body = Json.object();
		body.put("object", "list");
		ArrayNode data = body.putArray("data");
		ArrayNode providers = body.putArray("providers");
		for (ProviderEntry e : registry.providers()) {
			ObjectNode p = providers.addObject();
			p.put("name", e.name());
			p.put("default", e.name().equals(registry.defaultProviderName()));
			p.put("bundle", e.bundle());
			ArrayNode caps = p.putArray("capabilities");
			try {
				e.provider().capabilities().stream().map(Capability::name).map(String::toLowerCase).sorted()
						.forEach(caps::add);
				ProviderStatus status = e.provider().status();
				List<ModelInfo> models = e.provider().models();
				p.put("status", status.state().name().toLowerCase());
				if (status.detail() != null) {
					p.put("detail", status.detail());
				}
				for (ModelInfo m : models) {
					ObjectNode o = data.addObject();
					o.put("id", registry.publicId(e, m.id()));
					o.put("object", "model");
					o.put("created", m.created());
					o.put("owned_by", m.ownedBy() == null ? e.name() : m.ownedBy());
					o.put("provider", e.name());
					m.details().forEach((k, v) -> o.set(k, Json.toNode(v)));
				}
			} catch (RuntimeException | LinkageError ex) {
				// one broken or unreachable provider must not take the whole list down
				LOG.warn("provider '{}' ({}) failed to list its models: {}", e.name(), e.bundle(), ex.toString());
				p.put("status", "unavailable");
				p.put("detail", ex.getMessage() == null ? ex.toString() : ex.getMessage());
			}
		}
		return body;
	}
}
