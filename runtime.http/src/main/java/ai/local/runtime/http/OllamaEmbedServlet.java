package ai.local.runtime.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.http.codec.Fields;
import ai.local.runtime.http.codec.Json;
import ai.local.runtime.http.codec.OllamaDecoder;
import ai.local.runtime.http.codec.OllamaEncoder;

/**
 * Ollama's {@code POST /api/embed} ({@code input}: a string or strings → {@code embeddings}, L2-normalised as
 * Ollama's are) and the older {@code POST /api/embeddings} ({@code prompt} → {@code embedding}, as the model
 * gives it).
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/api/embed", "/api/embeddings" })
@Component(service = Servlet.class)
public class OllamaEmbedServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;
	private final transient OllamaNames names;

	@Activate
	public OllamaEmbedServlet(@Reference Completions completions, @Reference ProviderRegistry registry) {
		this.completions = completions;
		this.names = new OllamaNames(registry);
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		JsonNode b = Json.parse(body(req));
		String model = OllamaDecoder.model(b);
		boolean legacy = req.getRequestURI().endsWith("/embeddings");
		List<String> inputs = legacy ? List.of(prompt(b)) : inputs(b);
		Integer dimensions = Fields.optInt(b, "dimensions", "", 1, 65_536);
		Route route = completions.route(names.resolve(model), record);
		long start = System.nanoTime();
		EmbeddingResult result = completions.embed(route, new EmbeddingRequest(model, inputs, List.of(), dimensions, null),
				record);
		if (legacy) {
			ObjectNode out = Json.object();
			ArrayNode v = out.putArray("embedding");
			for (float f : result.vectors().get(0)) {
				v.add(f);
			}
			json(resp, 200, out);
			return;
		}
		List<float[]> normalised = new ArrayList<>();
		result.vectors().forEach(v -> normalised.add(normalise(v)));
		json(resp, 200, OllamaEncoder.embeddings(model, normalised, result.promptTokens(), System.nanoTime() - start));
	}

	private static String prompt(JsonNode b) {
		String p = Fields.optString(b, "prompt", "");
		if (p == null) {
			throw ApiException.invalidRequest("prompt is required", "prompt");
		}
		return p;
	}

	private static List<String> inputs(JsonNode b) {
		JsonNode in = b.get("input");
		if (in == null || in.isNull()) {
			throw ApiException.invalidRequest("input is required", "input");
		}
		if (in.isTextual()) {
			return List.of(in.textValue());
		}
		List<String> out = Fields.optStrings(b, "input", "");
		if (out.isEmpty()) {
			throw ApiException.invalidRequest("input must be a string or a non-empty array of strings", "input");
		}
		return out;
	}

	private static float[] normalise(float[] v) {
		double sum = 0;
		for (float f : v) {
			sum += (double) f * f;
		}
		if (sum == 0) {
			return v;
		}
		float[] out = new float[v.length];
		double norm = Math.sqrt(sum);
		for (int i = 0; i < v.length; i++) {
			out[i] = (float) (v[i] / norm);
		}
		return out;
	}
}
