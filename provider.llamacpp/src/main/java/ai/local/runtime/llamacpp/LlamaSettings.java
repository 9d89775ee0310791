package ai.local.runtime.llamacpp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import ai.local.runtime.api.settings.SettingsReader;
import ai.local.runtime.llamacpp.engine.LoadSpec.FlashAttention;
import ai.local.runtime.llamacpp.engine.LoadSpec.Pooling;

/**
 * {@link LlamaCppConfig} with the C++ original's environment variables as defaults: a configured value wins,
 * then the variable (looked up by {@code env}), then the built-in default. Bad values fall back to their
 * default and are reported in {@link #problems()}. {@code keepAlive}: null keeps idle models for ever.
 */
record LlamaSettings(Path model, int nCtx, int parallel, int nBatch, int nUbatch, int threads, int gpuLayers,
		boolean offloadKqv, FlashAttention flashAttention, int maxNewTokens, double temperature, double topP, double minP,
		Long seed, int maxSessions, int maxQueued, int queueTimeoutSeconds, int maxLoadedModels, boolean loadOnStart,
		Pooling pooling, String nativeVariant, Duration keepAlive, Set<String> pins, boolean pullOnDemand, boolean memoryCheck, List<String> problems) {

	static LlamaSettings of(LlamaCppConfig c, UnaryOperator<String> env, Path home) {
		SettingsReader r = new SettingsReader(env);
		String model = r.string(c.model(), "LLAMA_CPP_MODEL", "models");
		Path modelPath = home.resolve(model.startsWith("~/") ? System.getProperty("user.home") + model.substring(1) : model);
		int cores = Runtime.getRuntime().availableProcessors();
		String pooling = r.string(c.embedding_pooling(), "LLAMA_CPP_EMBEDDING_POOLING", "mean").toLowerCase(Locale.ROOT);
		Pooling p = switch (pooling) {
		case "mean" -> Pooling.MEAN;
		case "cls" -> Pooling.CLS;
		case "last" -> Pooling.LAST;
		case "rank" -> Pooling.RANK;
		default -> {
			r.problem("embedding pooling must be mean, cls, last or rank, not '" + pooling + "'; using mean");
			yield Pooling.MEAN;
		}
		};
		String flash = r.string(c.flash_attn(), "LLAMA_CPP_FLASH_ATTN", "auto").toLowerCase(Locale.ROOT);
		FlashAttention fa = switch (flash) {
		case "auto" -> FlashAttention.AUTO;
		case "enabled", "on", "true" -> FlashAttention.ENABLED;
		case "disabled", "off", "false" -> FlashAttention.DISABLED;
		default -> {
			r.problem("flash attention must be auto, enabled or disabled, not '" + flash + "'; using auto");
			yield FlashAttention.AUTO;
		}
		};
		String keep = r.string(c.keep_alive(), "LLAMA_CPP_KEEP_ALIVE", "5m");
		Duration keepAlive;
		try {
			keepAlive = KeepAlive.parse(keep);
		} catch (IllegalArgumentException e) {
			r.problem("keep.alive: " + e.getMessage() + "; using 5m");
			keepAlive = Duration.ofMinutes(5);
		}
		Set<String> pins = new LinkedHashSet<>();
		for (String id : r.string(c.pin(), "LLAMA_CPP_PIN", "").split(",")) {
			if (!id.isBlank()) {
				pins.add(id.strip());
			}
		}
		String seed = r.string(c.seed(), "LLAMA_CPP_SEED", "-1");
		long seedValue = r.parseLong("seed", seed, -1);
		return new LlamaSettings(modelPath.normalize(),
				r.integer("n.ctx", c.n_ctx(), "LLAMA_CPP_N_CTX", 4096, 64),
				r.integer("parallel", c.parallel(), "LLAMA_CPP_PARALLEL", 2, 1),
				r.integer("n.batch", c.n_batch(), "LLAMA_CPP_N_BATCH", 2048, 32),
				r.integer("n.ubatch", c.n_ubatch(), "LLAMA_CPP_N_UBATCH", 512, 32),
				r.integer("n.threads", c.n_threads(), "LLAMA_CPP_N_THREADS", cores, 1),
				r.integer("n.gpu.layers", c.n_gpu_layers(), "LLAMA_CPP_N_GPU_LAYERS", 999, 0),
				r.bool("offload.kqv", c.offload_kqv(), "LLAMA_CPP_OFFLOAD_KQV", true),
				fa,
				r.integer("max.new.tokens", c.max_new_tokens(), "LLAMA_CPP_MAX_NEW_TOKENS", 1024, 1),
				r.decimal("temperature", c.temperature(), "LLAMA_CPP_TEMPERATURE", 0.8, 0, 5),
				r.decimal("top.p", c.top_p(), "LLAMA_CPP_TOP_P", 0.95, 0, 1),
				r.decimal("min.p", c.min_p(), "LLAMA_CPP_MIN_P", 0.05, 0, 1),
				seedValue < 0 ? null : seedValue,
				r.integer("max.sessions", c.max_sessions(), "LLAMA_CPP_MAX_SESSIONS", 64, 0),
				r.integer("max.queued", c.max_queued(), "LLAMA_CPP_MAX_QUEUED", 16, 0),
				Math.max(1, c.queue_timeout_seconds()),
				r.integer("max.loaded.models", c.max_loaded_models(), "LLAMA_CPP_MAX_LOADED_MODELS", 2, 1),
				r.bool("load.on.start", c.load_on_start(), "LLAMA_CPP_LOAD_ON_START", false), p,
				r.string(c.native_variant(), "LLAMA_CPP_NATIVE_VARIANT", "").trim(), keepAlive, Set.copyOf(pins),
				r.bool("pull.on.demand", c.pull_on_demand(), "LLAMA_CPP_PULL_ON_DEMAND", false),
				r.bool("memory.check", c.memory_check(), "LLAMA_CPP_MEMORY_CHECK", true), r.problems());
	}
}
