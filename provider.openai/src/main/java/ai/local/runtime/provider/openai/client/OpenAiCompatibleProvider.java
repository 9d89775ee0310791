package ai.local.runtime.provider.openai.client;

import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.RerankRequest;
import ai.local.runtime.api.RerankResult;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.api.ModelInfo;

/**
 * A provider for a server that speaks the OpenAI API: /models, /chat/completions (whole, or SSE relayed chunk
 * by chunk), /embeddings. Subclasses refuse or explain what their server cannot do. When a request finds the
 * server unreachable, the model list is fetched again, so /v1/models shows the outage at once.
 */
public class OpenAiCompatibleProvider implements UpstreamProvider {
	private final String name;
	private final Set<Capability> capabilities;
	private final UpstreamClient client;
	private final ModelListCache models = new ModelListCache(this::fetchModels);
	/** Whether the upstream renders Hugging Face chat templates (vLLM, SGLang): thinking is its enable_thinking. */
	private final boolean templateKwargs;

	public OpenAiCompatibleProvider(Upstream upstream, Set<Capability> capabilities) {
		this(upstream, capabilities, false);
	}

	public OpenAiCompatibleProvider(Upstream upstream, Set<Capability> capabilities, boolean templateKwargs) {
		this.name = upstream.provider();
		this.capabilities = Set.copyOf(capabilities);
		this.client = new UpstreamClient(upstream);
		this.templateKwargs = templateKwargs;
		client.onUnreachable(models::clear);
	}

	private ObjectNode body(ChatRequest request, boolean stream) {
		ObjectNode body = OpenAiWire.chatBody(request, stream);
		Boolean thinking = Reasoning.enabled(request);
		if (templateKwargs && thinking != null) {
			ObjectNode kwargs = body.has("chat_template_kwargs") && body.get("chat_template_kwargs").isObject()
					? (ObjectNode) body.get("chat_template_kwargs") : body.putObject("chat_template_kwargs");
			if (!kwargs.has("enable_thinking")) {
				kwargs.put("enable_thinking", thinking);
			}
		}
		return body;
	}

	/** New settings for the next requests; the model list is fetched again. */
	@Override
	public void configure(Upstream upstream) {
		client.configure(upstream);
		models.clear();
	}

	@Override
	public Upstream upstream() {
		return client.upstream();
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public Set<Capability> capabilities() {
		return capabilities;
	}

	@Override
	public List<ModelInfo> models() {
		return models.get(client.upstream().modelsCacheTtl());
	}

	private List<ModelInfo> fetchModels() {
		Upstream u = client.upstream();
		if (!u.staticModels().isEmpty()) {
			return u.staticModels().stream().map(id -> new ModelInfo(id, name)).toList();
		}
		return OpenAiWire.models(client.get("/models", null), name, u);
	}

	@Override
	public ChatResult chat(ChatRequest request) {
		ObjectNode body = body(request, false);
		return OpenAiWire.result(client.post("/chat/completions", body, request.callerKey()), client.upstream());
	}

	@Override
	public void stream(ChatRequest request, ChatSink out) {
		ChatSink sink = new ThinkTags(out);
		ObjectNode body = body(request, true);
		ChunkReader chunks = new ChunkReader(client.upstream());
		events("/chat/completions", body, request.callerKey(), sink, chunks::accept);
		if (!sink.cancelled()) {
			chunks.finish(sink);
		}
	}

	/** POSTs {@code body} and hands each event of the SSE answer to {@code accept}, until it returns false. */
	private void events(String path, ObjectNode body, String callerKey, ChatSink sink,
			BiPredicate<SseEvent, ChatSink> accept) {
		client.stream(path, body, callerKey, sink, reader -> {
			SseParser sse = new SseParser();
			String line;
			while (!sink.cancelled() && (line = reader.readLine()) != null) {
				SseEvent event = sse.accept(line);
				if (event != null && !accept.test(event, sink)) {
					return;
				}
			}
			SseEvent last = sse.end();
			if (last != null && !sink.cancelled()) {
				accept.test(last, sink);
			}
		});
	}

	@Override
	public EmbeddingResult embed(EmbeddingRequest request) {
		return OpenAiWire.embeddings(client.post("/embeddings", OpenAiWire.embeddingBody(request),
				request.callerKey()), request.size(), client.upstream());
	}

	/** {@code /completions}, streamed: its chunks' {@code choices[0].text}. */
	@Override
	public void complete(CompletionRequest request, ChatSink sink) {
		ChunkReader chunks = new ChunkReader(client.upstream());
		events("/completions", OpenAiWire.completionBody(request), request.callerKey(), sink, chunks::accept);
		if (!sink.cancelled()) {
			chunks.finish(sink);
		}
	}

	/** {@code /rerank} (vLLM, llama-server, Infinity, TEI's Jina-compatible route). */
	@Override
	public RerankResult rerank(RerankRequest request) {
		return RerankWire.result(client.post("/rerank", RerankWire.body(request), request.callerKey()),
				request.documents().size(), client.upstream());
	}

	@Override
	public void closeWhenIdle() {
		client.closeWhenIdle();
	}
}
