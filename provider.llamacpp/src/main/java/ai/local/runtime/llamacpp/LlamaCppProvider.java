package ai.local.runtime.llamacpp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ModelSlots;
import ai.local.runtime.api.ProviderStatus;
import ai.local.runtime.api.PullProgress;
import ai.local.runtime.api.RerankRequest;
import ai.local.runtime.api.RerankResult;
import ai.local.runtime.api.ResultCollector;
import ai.local.runtime.api.settings.SettingsReader;
import ai.local.runtime.llamacpp.engine.LlamaEngine;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;

/**
 * The {@code llama_cpp} provider: GGUF models from a file or directory, run in-process by the llama.cpp engine
 * (bundle llama.engine). When another engine arrives (or leaves), the models are reloaded by it on their next
 * use, while requests already running finish on the old one.
 */
@Component(service = ChatProvider.class, configurationPid = LlamaCppConfig.PID)
@Designate(ocd = LlamaCppConfig.class)
public class LlamaCppProvider implements ChatProvider {
	private static final Logger LOG = LoggerFactory.getLogger(LlamaCppProvider.class);
	static final String NAME = "llama_cpp";
	private static final Duration DRAIN = Duration.ofSeconds(30);

	private final ExecutorService loader = newLoader();
	private final ExecutorService downloads = Executors.newCachedThreadPool(Daemons.named("model download"));
	private final CurrentEngine engine = new CurrentEngine(loader);
	private volatile ModelFiles files;
	private BundleContext context;
	private volatile LlamaSettings settings;

	@Activate
	void activate(LlamaCppConfig config, BundleContext bundleContext) {
		this.context = bundleContext;
		apply(config);
	}

	@Deactivate
	void deactivate() {
		ModelCache current = engine.stop();
		if (current != null) {
			drain(current);
		}
		loader.shutdownNow();
		downloads.shutdownNow();
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	void addEngine(LlamaEngine added) {
		engine.add(added);
		if (settings != null) {
			selectEngine(false);
		}
		engine.announce();
	}

	void removeEngine(LlamaEngine removed) {
		engine.remove(removed);
		if (settings != null) {
			selectEngine(false);
		}
	}

	@Modified
	synchronized void apply(LlamaCppConfig config) {
		LlamaSettings previous = settings;
		var env = SettingsReader.environment(context);
		settings = LlamaSettings.of(config, env, Path.of(""));
		if (files == null || !previous.model().equals(settings.model())) {
			// kept across other changes: its running downloads are shared with the pulls that come
			files = new ModelFiles(settings.model(), new ModelPull(new Hub(env), settings.model(), downloads));
		} else {
			files.rescan();
		}
		settings.problems().forEach(p -> LOG.warn("provider.llamacpp configuration: {}", p));
		boolean reload = previous != null && !loadParameters(previous).equals(loadParameters(settings));
		selectEngine(reload);
		ModelCache c = engine.cache();
		if (c != null) {
			c.keep(settings.keepAlive(), settings.pins());
		}
		List<String> ids = files.index().ids();
		LOG.info("llama.cpp models in {}: {}", settings.model().toAbsolutePath(), ids.isEmpty() ? "none" : ids);
	}

	/** Uses the preferred engine; the models of the one it replaces are retired. */
	private synchronized void selectEngine(boolean reload) {
		LlamaSettings s = settings;
		if (!engine.select(s, reload)) {
			return;
		}
		List<String> ids = files.index().ids();
		if (s.loadOnStart() && engine.cache() != null && !ids.isEmpty()) {
			// whenever an engine (re)starts the models: at start the engine often comes after the configuration
			loader.execute(() -> preload(ids.get(0)));
		}
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Capability> capabilities() {
		return EnumSet.of(Capability.CHAT, Capability.STREAM, Capability.TOOLS, Capability.JSON_SCHEMA,
				Capability.EMBEDDINGS, Capability.COMPLETIONS, Capability.RERANK);
	}

	@Override
	public List<ModelInfo> models() {
		ModelCache c = engine.cache();
		Set<String> loaded = c == null ? Set.of() : c.loaded().stream().map(LoadedModel::id).collect(Collectors.toSet());
		return files.models(NAME, settings.nCtx(), loaded);
	}

	@Override
	public List<ModelSlots> loaded() {
		ModelCache c = engine.cache();
		return c == null ? List.of() : c.loaded().stream()
				.map(m -> new ModelSlots(m.id(), m.slots().size(), m.slots().busy(), m.slots().waiting(), m.slotContext(),
						ModelFiles.size(m.spec().file()), c.expiresAt(m), c.pinned(m.id()), memoryOf(c, m)))
				.toList();
	}

	@Override
	public void load(String modelId, String keepAlive) {
		ModelCache c = engine.await();
		LlamaSettings s = settings;
		Duration keep = KeepAlive.ofRequest(keepAlive, s.keepAlive());
		c.release(acquire(c, s, modelId, false), keep);
	}

	@Override
	public void pull(String model, Consumer<PullProgress> progress, BooleanSupplier cancelled) {
		files.pull(HubRef.parse(model), progress, cancelled);
	}

	@Override
	public boolean unload(String modelId) {
		files.file(modelId, false);
		ModelCache c = engine.cache();
		return c != null && c.unload(modelId);
	}

	private static long memoryOf(ModelCache c, LoadedModel m) {
		MemoryEstimate e = c.memory(m);
		return e == null ? 0 : e.total();
	}

	@Override
	public ProviderStatus status() {
		ModelCache c = engine.cache();
		if (c == null) {
			return ProviderStatus.unavailable("no llama.cpp engine: deploy/ needs llama.engine.jar and the "
					+ "llama.native.<platform>.jar of this machine (see the log of llama.engine)");
		}
		ModelIndex idx = files.index();
		if (idx.models().isEmpty()) {
			return ProviderStatus.unavailable("no .gguf models in " + idx.root().toAbsolutePath()
					+ " (set LLAMA_CPP_MODEL or the model property of provider.llamacpp)");
		}
		List<String> loading = c.loading();
		if (!loading.isEmpty()) {
			return ProviderStatus.loading("loading " + String.join(", ", loading));
		}
		List<String> loaded = c.loaded().stream().map(m -> m.id() + " (" + m.slots().busy() + "/" + m.slots().size()
				+ " slots busy, " + m.slots().waiting() + " queued)").toList();
		return new ProviderStatus(ProviderStatus.State.READY, c.engine().variant() + " engine; "
				+ (loaded.isEmpty() ? "no model loaded yet" : "loaded: " + String.join(", ", loaded)));
	}

	/** One thread per model being loaded: loads of different models do not wait for each other. */
	static ExecutorService newLoader() {
		return Executors.newCachedThreadPool(Daemons.named("llama.cpp model loader"));
	}

	@Override
	public ChatResult chat(ChatRequest request) {
		ResultCollector collector = new ResultCollector();
		stream(request, collector);
		return collector.result();
	}

	@Override
	public void stream(ChatRequest request, ChatSink sink) {
		using(request.model(), false, request.extra().get("keep_alive"), (c, model, s) -> {
			Integer asked = request.sampling() == null ? null : request.sampling().maxTokens();
			int budget = Math.min(asked != null ? asked : s.maxNewTokens(), model.slotContext());
			ModelTemplate template = model.template().pick(request);
			OutputFormat format = OutputFormat.of(request, c.engine(), budget, template.syntax(), template.source(),
					template.trigger());
			new ChatRun(model, s, format, engine::stopping).run(request, sink);
			return null;
		});
	}

	@Override
	public void complete(CompletionRequest request, ChatSink sink) {
		using(request.model(), false, request.extra().get("keep_alive"), (c, model, s) -> {
			new TextRun(model, s, engine::stopping).run(request, sink);
			return null;
		});
	}

	/** The rendered prompt's tokens, as a completion of the request would decode them. */
	@Override
	public int countTokens(ChatRequest request) {
		return using(request.model(), false, null, (c, model, s) -> {
			ModelTemplate template = model.template().pick(request);
			OutputFormat format = OutputFormat.of(request, c.engine(), 1, template.syntax(), template.source(),
					template.trigger());
			return ChatPrompt.build(model.handle(), template, request, format, Integer.MAX_VALUE / 2, 1).tokens();
		});
	}

	@Override
	public Map<String, Object> metadata(String modelId) {
		return files.metadata(modelId);
	}

	@Override
	public boolean delete(String modelId) {
		return files.delete(modelId, id -> {
			ModelCache c = engine.cache();
			if (c != null) {
				c.unload(id);
			}
		});
	}

	@Override
	public String applyTemplate(ChatRequest request) {
		return using(request.model(), false, null, (c, model, s) -> {
			Integer asked = request.sampling() == null ? null : request.sampling().maxTokens();
			int maxTokens = asked != null ? asked : s.maxNewTokens();
			ModelTemplate template = model.template().pick(request);
			OutputFormat format = OutputFormat.of(request, c.engine(), Math.min(maxTokens, model.slotContext()),
					template.syntax(), template.source(), template.trigger());
			return ChatPrompt.build(model.handle(), template, request, format, model.slotContext(), maxTokens).text();
		});
	}

	@Override
	public int[] tokenize(String modelId, String text, boolean addSpecial) {
		return using(modelId, false, null, (c, model, s) -> model.handle().tokenize(text, addSpecial));
	}

	@Override
	public String detokenize(String modelId, int[] tokens) {
		return ofTokens(modelId, handle -> handle.detokenize(tokens));
	}

	@Override
	public List<byte[]> pieces(String modelId, int[] tokens) {
		return ofTokens(modelId, handle -> handle.pieces(tokens));
	}

	/** What the model makes of token ids; an id outside its vocabulary is the caller's 400. */
	private <T> T ofTokens(String modelId, Function<LlamaModelHandle, T> read) {
		return using(modelId, false, null, (c, model, s) -> {
			try {
				return read.apply(model.handle());
			} catch (IllegalArgumentException e) {
				throw ApiException.invalidRequest(e.getMessage(), "tokens");
			}
		});
	}

	@Override
	public RerankResult rerank(RerankRequest request) {
		GgufHeader header = files.header(files.file(request.model(), settings.pullOnDemand()));
		if (!header.reranker()) {
			throw ApiException.invalidRequest("The model '" + request.model() + "' is not a reranking model (its GGUF has "
					+ "no rank pooling)", "model");
		}
		return using(request.model(), true, null, (c, model, s) -> Reranking.of(model.handle(), header.rerankTemplate(),
				request));
	}

	@Override
	public EmbeddingResult embed(EmbeddingRequest request) {
		return using(request.model(), true, null, (c, model, s) -> Embeddings.of(model.handle(), request));
	}

	/**
	 * Runs {@code work} on the model, acquired for it (loaded on first use) and released after; idle, it then stays
	 * loaded for the request's {@code keepAlive} (null: the configured time).
	 */
	private <T> T using(String id, boolean embedding, Object keepAlive, ModelWork<T> work) {
		ModelCache c = engine.await();
		LlamaSettings s = settings;
		Duration keep = KeepAlive.ofRequest(keepAlive, s.keepAlive());
		LoadedModel model = acquire(c, s, id, embedding);
		try {
			return work.run(c, model, s);
		} finally {
			c.release(model, keep);
		}
	}

	/** Work on an acquired model, with the settings it was acquired under. */
	private interface ModelWork<T> {
		T run(ModelCache cache, LoadedModel model, LlamaSettings settings);
	}

	private LoadedModel acquire(ModelCache c, LlamaSettings s, String id, boolean embedding) {
		Path file = files.file(id, s.pullOnDemand());
		GgufHeader header = files.header(file);
		LoadSpec spec = embedding
				? new LoadSpec(file, s.nCtx(), 1, s.nBatch(), s.nUbatch(), s.threads(), s.gpuLayers(), s.offloadKqv(),
						s.flashAttention(), header.reranker() ? LoadSpec.Pooling.RANK : s.pooling())
				: new LoadSpec(file, s.nCtx() * s.parallel(), s.parallel(), s.nBatch(), s.nUbatch(), s.threads(),
						s.gpuLayers(), s.offloadKqv(), s.flashAttention(), null);
		MemoryEstimate memory = MemoryEstimate.of(file, header.shape(), spec.contextSize(), s.nUbatch(),
				s.gpuLayers(), s.offloadKqv());
		return c.acquire(id, file, embedding, spec, sp -> new SlotPool(sp.parallel(), s.maxQueued(), s.maxSessions()),
				Duration.ofSeconds(s.queueTimeoutSeconds()), s.memoryCheck() ? memory : null);
	}

	private void preload(String id) {
		ModelCache c = engine.cache();
		if (c == null) {
			return;
		}
		try {
			c.release(acquire(c, settings, id, false));
		} catch (ApiException e) {
			LOG.warn("preloading model '{}' failed: {}", id, e.getMessage());
		}
	}

	private void drain(ModelCache c) {
		c.retireAll();
		long deadline = System.nanoTime() + DRAIN.toNanos();
		while (c.inUse() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (c.inUse() > 0) {
			LOG.warn("{} llama.cpp requests still running after {} s", c.inUse(), DRAIN.toSeconds());
		}
	}

	private static List<Object> loadParameters(LlamaSettings s) {
		return List.of(s.model(), s.nCtx(), s.parallel(), s.nBatch(), s.nUbatch(), s.threads(), s.gpuLayers(),
				s.offloadKqv(), s.flashAttention(), s.maxLoadedModels(), s.pooling(), s.nativeVariant(), s.maxQueued(),
				s.maxSessions());
	}
}
