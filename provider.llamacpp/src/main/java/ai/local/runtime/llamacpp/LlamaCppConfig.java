package ai.local.runtime.llamacpp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code provider.llamacpp}. An empty value (or -1) means: take the environment variable
 * named in the description (also accepted as a -D system property), else the built-in default.
 */
@ObjectClassDefinition(name = "Local AI Runtime: llama.cpp provider",
		description = "In-process llama.cpp: where the GGUF models are, how they are loaded, sampling defaults")
public @interface LlamaCppConfig {
	String PID = "provider.llamacpp";

	@AttributeDefinition(name = "Model file or directory", required = false,
			description = "A .gguf file, or a directory scanned recursively for .gguf files (the id of a model is "
					+ "its directory relative to this one). Empty: LLAMA_CPP_MODEL, else the models/ directory")
	String model() default "";

	@AttributeDefinition(name = "Context per slot (tokens)", required = false,
			description = "Context of one conversation; the KV cache holds this times the slots. -1: LLAMA_CPP_N_CTX, else 4096")
	int n_ctx() default -1;

	@AttributeDefinition(name = "Parallel slots", required = false,
			description = "Conversations decoded at once per model (continuous batching). -1: LLAMA_CPP_PARALLEL, else 2")
	int parallel() default -1;

	@AttributeDefinition(name = "Batch size", required = false, description = "-1: LLAMA_CPP_N_BATCH, else 2048")
	int n_batch() default -1;

	@AttributeDefinition(name = "Micro-batch size", required = false, description = "-1: LLAMA_CPP_N_UBATCH, else 512")
	int n_ubatch() default -1;

	@AttributeDefinition(name = "Threads", required = false,
			description = "CPU threads for decoding. -1: LLAMA_CPP_N_THREADS, else the number of cores")
	int n_threads() default -1;

	@AttributeDefinition(name = "GPU layers", required = false,
			description = "Layers offloaded to the GPU by a GPU variant bundle. -1: LLAMA_CPP_N_GPU_LAYERS, else 999 (all)")
	int n_gpu_layers() default -1;

	@AttributeDefinition(name = "Offload KV cache", required = false,
			description = "true or false. Empty: LLAMA_CPP_OFFLOAD_KQV, else true")
	String offload_kqv() default "";

	@AttributeDefinition(name = "Flash attention", required = false,
			description = "true or false. Empty: LLAMA_CPP_FLASH_ATTN, else false")
	String flash_attn() default "";

	@AttributeDefinition(name = "Default max new tokens", required = false,
			description = "For requests without max_tokens. -1: LLAMA_CPP_MAX_NEW_TOKENS, else 1024")
	int max_new_tokens() default -1;

	@AttributeDefinition(name = "Default temperature", required = false,
			description = "Empty: LLAMA_CPP_TEMPERATURE, else 0.8")
	String temperature() default "";

	@AttributeDefinition(name = "Default top_p", required = false, description = "Empty: LLAMA_CPP_TOP_P, else 0.95")
	String top_p() default "";

	@AttributeDefinition(name = "Default min_p", required = false, description = "Empty: LLAMA_CPP_MIN_P, else 0.05")
	String min_p() default "";

	@AttributeDefinition(name = "Default seed", required = false,
			description = "Seed for requests without one; empty or -1: LLAMA_CPP_SEED, else random per request")
	String seed() default "";

	@AttributeDefinition(name = "Remembered sessions", required = false,
			description = "Sessions whose slot is remembered, so their next turn reuses its KV prefix. "
					+ "-1: LLAMA_CPP_MAX_SESSIONS, else 64")
	int max_sessions() default -1;

	@AttributeDefinition(name = "Max queued requests per model", required = false,
			description = "Requests waiting for a slot; beyond this: 429. -1: LLAMA_CPP_MAX_QUEUED, else 16")
	int max_queued() default -1;

	@AttributeDefinition(name = "Queue timeout (seconds)",
			description = "How long a request may wait for a slot before it gets 429")
	int queue_timeout_seconds() default 120;

	@AttributeDefinition(name = "Max loaded models", required = false,
			description = "Models kept loaded; the least recently used idle one is unloaded for another. "
					+ "-1: LLAMA_CPP_MAX_LOADED_MODELS, else 2")
	int max_loaded_models() default -1;

	@AttributeDefinition(name = "Load at start", required = false,
			description = "Load the first model when the provider starts instead of on first use. "
					+ "Empty: LLAMA_CPP_LOAD_ON_START, else false")
	String load_on_start() default "";

	@AttributeDefinition(name = "Embedding pooling", required = false,
			description = "last or cls (mean aborts java-llama.cpp 4.2.0). Empty: LLAMA_CPP_EMBEDDING_POOLING, else last")
	String embedding_pooling() default "";

	@AttributeDefinition(name = "Native variant", required = false,
			description = "Use this variant bundle (cpu, cuda ...) when several are installed. "
					+ "Empty: LLAMA_CPP_NATIVE_VARIANT, else the one with the highest priority")
	String native_variant() default "";
}
