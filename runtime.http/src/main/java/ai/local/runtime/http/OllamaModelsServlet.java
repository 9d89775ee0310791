package ai.local.runtime.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.http.codec.Json;
import ai.local.runtime.http.codec.OllamaDecoder;

/**
 * Ollama's model endpoints over every provider's models, named as in {@code /v1/models}: {@code GET /api/tags},
 * {@code POST /api/show} (the GGUF's metadata and chat template where the provider reads the file, capabilities),
 * {@code DELETE /api/delete} (models the runtime pulled) and {@code GET /api/version}.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/api/tags", "/api/show", "/api/delete", "/api/version" })
@Component(service = Servlet.class)
public class OllamaModelsServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;
	/**
	 * The Ollama API level served. Clients gate features on it (tool streaming 0.8, {@code think} 0.9), so it is
	 * Ollama's version whose API this matches, not the runtime's own.
	 */
	static final String API_VERSION = "0.12.0";
	private static final String TEMPLATE = "tokenizer.chat_template";

	private final transient Completions completions;
	private final transient ProviderRegistry registry;
	private final transient OllamaNames names;

	@Activate
	public OllamaModelsServlet(@Reference Completions completions, @Reference ProviderRegistry registry) {
		this.completions = completions;
		this.registry = registry;
		this.names = new OllamaNames(registry);
	}

	@Override
	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		String path = req.getRequestURI();
		if (path.endsWith("/version")) {
			json(resp, 200, Json.object().put("version", API_VERSION));
		} else if (path.endsWith("/tags")) {
			ObjectNode out = Json.object();
			ArrayNode models = out.putArray("models");
			for (ListedModel m : registry.listModels()) {
				models.add(tag(m));
			}
			json(resp, 200, out);
		} else {
			super.get(req, resp);
		}
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (!req.getRequestURI().endsWith("/show")) {
			super.post(req, resp);
			return;
		}
		RequestRecord record = RequestRecord.of(req);
		String name = OllamaDecoder.model(Json.parse(body(req)));
		ListedModel listed = names.listed(name);
		if (listed == null) {
			throw notFound(name);
		}
		Route route = completions.route(listed.id(), record);
		Map<String, Object> metadata;
		try {
			metadata = completions.metadata(route);
		} catch (ApiException e) {
			metadata = Map.of(); // described from its listing alone
		}
		json(resp, 200, show(listed, metadata));
	}

	@Override
	protected void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (!req.getRequestURI().endsWith("/delete")) {
			super.delete(req, resp);
			return;
		}
		RequestRecord record = RequestRecord.of(req);
		String name = names.resolve(OllamaDecoder.model(Json.parse(body(req))));
		if (!completions.delete(completions.route(name, record))) {
			throw notFound(name);
		}
		resp.setStatus(200);
		resp.setContentLength(0);
	}

	private static ApiException notFound(String name) {
		return new ApiException(ErrorType.NOT_FOUND, "model '" + name + "' not found", "model", "model_not_found", null,
				null);
	}

	private static ObjectNode tag(ListedModel m) {
		ObjectNode o = Json.object();
		o.put("name", m.id());
		o.put("model", m.id());
		o.put("modified_at", modified(m));
		long size = m.info().details().get("size") instanceof Number n ? n.longValue() : 0;
		o.put("size", size);
		o.put("digest", digest(m.id() + "\n" + size + "\n" + m.info().created()));
		o.set("details", details(m));
		return o;
	}

	private static String modified(ListedModel m) {
		return (m.info().created() > 0 ? Instant.ofEpochSecond(m.info().created()) : Instant.EPOCH).toString();
	}

	private static ObjectNode details(ListedModel m) {
		Map<String, Object> d = m.info().details();
		ObjectNode o = Json.object();
		o.put("parent_model", "");
		o.put("format", d.containsKey("architecture") ? "gguf" : "");
		String family = d.get("architecture") instanceof String s ? s : "";
		o.put("family", family);
		if (family.isEmpty()) {
			o.putNull("families");
		} else {
			o.putArray("families").add(family);
		}
		o.put("parameter_size", "");
		o.put("quantization_level", d.get("quantization") instanceof String s ? s : "");
		return o;
	}

	private ObjectNode show(ListedModel m, Map<String, Object> metadata) {
		ObjectNode o = Json.object();
		o.put("license", metadata.get("general.license") instanceof String s ? s : "");
		o.put("modelfile", "# Served by Local AI Runtime (provider " + m.entry().name() + ")\nFROM " + m.id() + "\n");
		// the context a request gets here, in Modelfile syntax: what clients size their prompts by
		o.put("parameters", m.info().details().get("context_length") instanceof Number n ? "num_ctx " + n.longValue() : "");
		o.put("template", metadata.get(TEMPLATE) instanceof String s ? s : "");
		ObjectNode details = details(m);
		if (metadata.get("general.size_label") instanceof String size) {
			details.put("parameter_size", size);
		}
		o.set("details", details);
		ObjectNode info = o.putObject("model_info");
		if (metadata.isEmpty()) {
			Map<String, Object> d = m.info().details();
			if (d.get("architecture") instanceof String arch) {
				info.put("general.architecture", arch);
				if (d.get("context_length") instanceof Number n) {
					info.put(arch + ".context_length", n.longValue());
				}
			}
		}
		metadata.forEach((k, v) -> {
			if (!k.startsWith(TEMPLATE)) {
				info.set(k, Json.toNode(v));
			}
		});
		ArrayNode caps = o.putArray("capabilities");
		capabilities(m).forEach(caps::add);
		o.put("modified_at", modified(m));
		return o;
	}

	/** Ollama's capability names: completion, tools, thinking, insert, vision, embedding. */
	private static Set<String> capabilities(ListedModel m) {
		Set<String> out = new LinkedHashSet<>();
		if (m.info().details().get("capabilities") instanceof List<?> listed) {
			for (Object c : listed) {
				switch (String.valueOf(c)) {
				case "chat" -> out.add("completion");
				case "tools" -> out.add("tools");
				case "thinking" -> out.add("thinking");
				case "infill" -> out.add("insert");
				case "vision" -> out.add("vision");
				default -> {
				}
				}
			}
			if (!listed.contains("chat") && listed.contains("embeddings")) {
				out.add("embedding");
			}
			return out;
		}
		Set<Capability> caps = m.entry().provider().capabilities();
		if (caps.contains(Capability.CHAT)) {
			out.add("completion");
		}
		if (caps.contains(Capability.TOOLS)) {
			out.add("tools");
		}
		if (caps.contains(Capability.VISION)) {
			out.add("vision");
		}
		if (!caps.contains(Capability.CHAT) && caps.contains(Capability.EMBEDDINGS)) {
			out.add("embedding");
		}
		return out;
	}

	/** A stable id for the listing (Ollama's is its manifest's): the same model keeps it, another gets another. */
	private static String digest(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
