package ai.local.runtime.llamacpp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code provider.llamacpp}. Each default is the built-in one; the environment variable named in
 * the description (also accepted as a -D system property) replaces it while the attribute is unset or holds that
 * default. Empty (or -1) where the default is computed: the description says how.
 */
@ObjectClassDefinition(name = "Local AI Runtime: llama.cpp provider",
		description = "In-process llama.cpp: where the GGUF models are, how they are loaded, sampling defaults")
public @interface LlamaCppConfig {
	String PID = "provider.llamacpp";

	@AttributeDefinition(name = "Model file or directory", required = false,
			description = "A .gguf file, or a directory scanned recursively for .gguf files (the id of a model is "
					+ "its directory relative to this one). LLAMA_CPP_MODEL replaces the default")
	String model() default "models";

	@AttributeDefinition(name = "Context per slot (tokens)", required = false,
			description = "Context of one conversation; the KV cache holds this times the slots. LLAMA_CPP_N_CTX replaces the default")
	int n_ctx() default 4096;

	@AttributeDefinition(name = "Parallel slots", required = false,
			description = "Conversations decoded at once per model (continuous batching). LLAMA_CPP_PARALLEL replaces the default")
	int parallel() default 2;

	@AttributeDefinition(name = "Batch size", required = false, description = "LLAMA_CPP_N_BATCH replaces the default")
	int n_batch() default 2048;

	@AttributeDefinition(name = "Micro-batch size", required = false, description = "LLAMA_CPP_N_UBATCH replaces the default")
	int n_ubatch() default 512;

	@AttributeDefinition(name = "Threads", required = false,
			description = "CPU threads for decoding. -1: LLAMA_CPP_N_THREADS, else the number of cores")
	int n_threads() default -1;

	@AttributeDefinition(name = "GPU layers", required = false,
			description = "Layers offloaded to the GPU by a GPU variant bundle. 999: all. LLAMA_CPP_N_GPU_LAYERS replaces the default")
	int n_gpu_layers() default 999;

	@AttributeDefinition(name = "Offload KV cache", required = false,
			description = "Keep the KV cache on the GPU. LLAMA_CPP_OFFLOAD_KQV replaces the default")
	boolean offload_kqv() default true;

	@AttributeDefinition(name = "Flash attention", required = false,
			description = "auto (llama.cpp decides per model and device), enabled or disabled. LLAMA_CPP_FLASH_ATTN replaces the default")
	String flash_attn() default "auto";

	@AttributeDefinition(name = "Default max new tokens", required = false,
			description = "For requests without max_tokens. LLAMA_CPP_MAX_NEW_TOKENS replaces the default")
	int max_new_tokens() default 1024;

	@AttributeDefinition(name = "Default temperature", required = false,
			description = "LLAMA_CPP_TEMPERATURE replaces the default")
	double temperature() default 0.8;

	@AttributeDefinition(name = "Default top_p", required = false, description = "LLAMA_CPP_TOP_P replaces the default")
	double top_p() default 0.95;

	@AttributeDefinition(name = "Default min_p", required = false, description = "LLAMA_CPP_MIN_P replaces the default")
	double min_p() default 0.05;

	@AttributeDefinition(name = "Default seed", required = false,
			description = "Seed for requests without one; empty or -1: LLAMA_CPP_SEED, else random per request")
	String seed() default "";

	@AttributeDefinition(name = "Remembered sessions", required = false,
			description = "Sessions whose slot is remembered, so their next turn reuses its KV prefix. "
					+ "LLAMA_CPP_MAX_SESSIONS replaces the default")
	int max_sessions() default 64;

	@AttributeDefinition(name = "Max queued requests per model", required = false,
			description = "Requests waiting for a slot; beyond this: 429. LLAMA_CPP_MAX_QUEUED replaces the default")
	int max_queued() default 16;

	@AttributeDefinition(name = "Queue timeout (seconds)",
			description = "How long a request may wait for a slot before it gets 429")
	int queue_timeout_seconds() default 120;

	@AttributeDefinition(name = "Max loaded models", required = false,
			description = "Models kept loaded; the least recently used idle one is unloaded for another. "
					+ "LLAMA_CPP_MAX_LOADED_MODELS replaces the default")
	int max_loaded_models() default 2;

	@AttributeDefinition(name = "Keep alive", required = false,
			description = "How long a model stays loaded after its last request: 30s, 5m, 1h, 0 (unload at once), -1 "
					+ "(for ever). A request's keep_alive overrides it for that model. LLAMA_CPP_KEEP_ALIVE replaces the default 5m")
	String keep_alive() default "";

	@AttributeDefinition(name = "Pinned models", required = false,
			description = "Model ids that stay loaded (never unloaded for being idle or to make room), comma-separated. "
					+ "LLAMA_CPP_PIN replaces the default")
	String pin() default "";

	@AttributeDefinition(name = "Memory check", required = false,
			description = "Before a model loads, its memory (weights, KV cache, compute) is estimated from its GGUF header and "
					+ "compared with the memory available; idle models make room, and a model that cannot fit gets 503 "
					+ "instead of the process running out of memory. LLAMA_CPP_MEMORY_CHECK replaces the default")
	boolean memory_check() default true;

	@AttributeDefinition(name = "Pull on demand", required = false,
			description = "A request for an hf.co/ORG/REPO[:QUANT] model that is not here pulls it first. "
					+ "LLAMA_CPP_PULL_ON_DEMAND replaces the default")
	boolean pull_on_demand() default false;

	@AttributeDefinition(name = "Load at start", required = false,
			description = "Load the first model when the provider starts instead of on first use. "
					+ "LLAMA_CPP_LOAD_ON_START replaces the default")
	boolean load_on_start() default false;

	@AttributeDefinition(name = "Embedding pooling", required = false,
			description = "mean, cls, last, or rank (reranking models). LLAMA_CPP_EMBEDDING_POOLING replaces the default")
	String embedding_pooling() default "mean";

	@AttributeDefinition(name = "Native variant", required = false,
			description = "The engine variant to use (cpu, cuda ...) when several are registered; an unknown one is a "
					+ "warning. Empty: LLAMA_CPP_NATIVE_VARIANT, else a GPU one before the CPU one")
	String native_variant() default "";
}
