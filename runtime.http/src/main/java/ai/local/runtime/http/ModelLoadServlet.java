package ai.local.runtime.http;

import java.io.IOException;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ModelSlots;
import ai.local.runtime.http.codec.Fields;
import ai.local.runtime.http.codec.Json;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Which models are loaded, and loading or unloading one on request: {@code POST /models/load} and
 * {@code POST /models/unload} in llama-server's router shape ({@code {"model": ...}} → {@code {"success": true}};
 * load takes Ollama's {@code keep_alive}), and Ollama's {@code GET /api/ps} over every provider's loaded models,
 * named as in /v1/models.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/models/load", "/models/unload", "/api/ps" })
@Component(service = Servlet.class)
public class ModelLoadServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;
	private static final Logger LOG = LoggerFactory.getLogger(ModelLoadServlet.class);
	/** Ollama's expires_at of a model that stays loaded. */
	private static final Instant NEVER = Instant.parse("2318-08-28T00:00:00Z");

	private final transient Completions completions;
	private final transient ProviderRegistry registry;

	@Activate
	public ModelLoadServlet(@Reference Completions completions, @Reference ProviderRegistry registry) {
		this.completions = completions;
		this.registry = registry;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (req.getRequestURI().endsWith("/api/ps")) {
			super.post(req, resp);
			return;
		}
		RequestRecord record = RequestRecord.of(req);
		JsonNode b = Json.parse(body(req));
		String model = Fields.requiredString(b, "model", null);
		Route route = completions.route(model, record);
		ObjectNode out = Json.MAPPER.createObjectNode().put("success", true);
		if (req.getRequestURI().endsWith("/load")) {
			JsonNode keep = b.get("keep_alive");
			completions.load(route, keep == null || keep.isNull() ? null : keep.asText());
		} else {
			out.put("unloaded", completions.unload(route));
		}
		json(resp, 200, out);
	}

	@Override
	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (!req.getRequestURI().endsWith("/api/ps")) {
			super.get(req, resp);
			return;
		}
		ObjectNode out = Json.MAPPER.createObjectNode();
		ArrayNode models = out.putArray("models");
		for (ProviderEntry e : registry.providers()) {
			try {
				for (ModelSlots m : e.provider().loaded()) {
					String id = registry.publicId(e, m.model());
					// Ollama's size is the memory the model takes
					ObjectNode o = models.addObject().put("name", id).put("model", id)
							.put("size", m.memoryBytes() > 0 ? m.memoryBytes() : m.sizeBytes()).put("size_file", m.sizeBytes())
							.put("digest", "").put("expires_at", (m.expiresAt() != null ? m.expiresAt() : NEVER).toString())
							.put("size_vram", 0).put("context_length", m.contextPerSlot());
					o.putObject("details").put("format", "gguf");
					o.put("pinned", m.pinned()).put("slots", m.slots()).put("busy", m.busy());
				}
			} catch (RuntimeException | LinkageError failed) {
				LOG.debug("provider '{}' could not list its loaded models: {}", e.name(), failed.toString());
			}
		}
		json(resp, 200, out);
	}
}
