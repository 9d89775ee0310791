package ai.local.runtime.provider.ollama;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ProviderStatus;
import ai.local.runtime.provider.openai.client.ModelListCache;
import ai.local.runtime.provider.openai.client.OpenAiWire;
import ai.local.runtime.provider.openai.client.Upstream;
import ai.local.runtime.provider.openai.client.UpstreamClient;
import ai.local.runtime.provider.openai.client.UpstreamErrors;
import ai.local.runtime.provider.openai.client.UpstreamProvider;

/**
 * Ollama's native API: /api/tags lists the models, /api/chat answers (NDJSON relayed line by line when
 * streamed), /api/embed embeds a batch in one call, /api/ps tells which models are loaded (the provider's
 * status).
 */
final class OllamaProvider implements UpstreamProvider {
	private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.CHAT, Capability.STREAM,
			Capability.TOOLS, Capability.JSON_SCHEMA, Capability.EMBEDDINGS, Capability.VISION);

	private final UpstreamClient client;
	private final Supplier<OllamaDefaults> defaults;
	private final ModelListCache tags = new ModelListCache(this::fetchTags);
	private final ModelListCache loaded = new ModelListCache(this::fetchLoaded);

	OllamaProvider(Upstream upstream, Supplier<OllamaDefaults> defaults) {
		this.client = new UpstreamClient(upstream);
		this.defaults = defaults;
		client.onUnreachable(this::forgetLists);
	}

	@Override
	public String name() {
		return "ollama";
	}

	@Override
	public Set<Capability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public void configure(Upstream upstream) {
		client.configure(upstream);
		forgetLists();
	}

	/** After a move or an outage: /v1/models and the status ask Ollama again. */
	private void forgetLists() {
		tags.clear();
		loaded.clear();
	}

	@Override
	public Upstream upstream() {
		return client.upstream();
	}

	@Override
	public List<ModelInfo> models() {
		return tags.get(client.upstream().modelsCacheTtl());
	}

	private List<ModelInfo> fetchTags() {
		JsonNode body = client.get("/api/tags", null);
		JsonNode models = body.get("models");
		if (models == null || !models.isArray()) {
			throw UpstreamErrors.garbled(client.upstream(), "/api/tags without models[]", body.toString());
		}
		List<ModelInfo> out = new ArrayList<>();
		for (JsonNode m : models) {
			String id = m.path("name").asText(m.path("model").asText(""));
			if (!id.isEmpty()) {
				out.add(new ModelInfo(id, "ollama"));
			}
		}
		return out;
	}

	/** READY with the loaded models (from /api/ps) as detail; UNAVAILABLE when Ollama cannot be asked. */
	@Override
	public ProviderStatus status() {
		try {
			List<ModelInfo> now = loaded.get(Duration.ofSeconds(2));
			return new ProviderStatus(ProviderStatus.State.READY, now.isEmpty() ? "no model loaded"
					: "loaded: " + String.join(", ", now.stream().map(ModelInfo::id).toList()));
		} catch (ApiException e) {
			return ProviderStatus.unavailable(e.getMessage());
		}
	}

	private List<ModelInfo> fetchLoaded() {
		List<ModelInfo> out = new ArrayList<>();
		for (JsonNode m : client.get("/api/ps", null).path("models")) {
			out.add(new ModelInfo(m.path("name").asText(m.path("model").asText("?")), "ollama"));
		}
		return out;
	}

	@Override
	public ChatResult chat(ChatRequest request) {
		ObjectNode body = OllamaWire.chatBody(request, false, defaults.get());
		return new OllamaReply(client.upstream()).whole(client.post("/api/chat", body, request.callerKey()));
	}

	@Override
	public void stream(ChatRequest request, ChatSink sink) {
		ObjectNode body = OllamaWire.chatBody(request, true, defaults.get());
		OllamaReply reply = new OllamaReply(client.upstream());
		client.stream("/api/chat", body, request.callerKey(), sink, reader -> {
			String line;
			while (!sink.cancelled() && (line = reader.readLine()) != null) {
				if (reply.line(line, sink)) {
					return;
				}
			}
		});
		if (!sink.cancelled()) {
			reply.finish(sink);
		}
	}

	@Override
	public EmbeddingResult embed(EmbeddingRequest request) {
		if (request.texts().isEmpty()) {
			throw ApiException.invalidRequest("Ollama embeds text; token-id inputs are not supported", "input");
		}
		ObjectNode body = OpenAiWire.MAPPER.createObjectNode();
		body.put("model", request.model());
		ArrayNode input = body.putArray("input");
		request.texts().forEach(input::add);
		if (request.dimensions() != null) {
			body.put("dimensions", request.dimensions());
		}
		OllamaDefaults d = defaults.get();
		if (d.keepAlive() != null) {
			body.put("keep_alive", d.keepAlive());
		}
		JsonNode answer = client.post("/api/embed", body, request.callerKey());
		JsonNode embeddings = answer.get("embeddings");
		if (embeddings == null || !embeddings.isArray() || embeddings.size() != request.size()) {
			throw UpstreamErrors.garbled(client.upstream(), (embeddings == null ? "no" : embeddings.size())
					+ " embeddings for " + request.size() + " inputs", "");
		}
		List<float[]> vectors = new ArrayList<>();
		embeddings.forEach(e -> vectors.add(OpenAiWire.floats(e)));
		return new EmbeddingResult(vectors, answer.path("prompt_eval_count").asInt(0));
	}

	@Override
	public void closeWhenIdle() {
		client.closeWhenIdle();
	}
}
