package ai.local.runtime.llama.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Run in a short-lived child JVM before a model is loaded in the runtime: loads it the way the engine does (CPU
 * only, a small context) and exits 0. When llama.cpp aborts on the file (a failed assertion, an uncaught C++
 * exception), this process dies, not the runtime. Arguments: library directory, release, model file.
 */
public final class Probe {

	private Probe() {
	}

	public static void main(String[] args) throws Exception {
		NativeLlama.logTo((level, text) -> {
			if (level >= Llama.LOG_WARN && text != null) {
				System.out.print(text);
			}
		});
		NativeLlama llama = NativeLlama.open(Path.of(args[0]), args[1]);
		Llama api = llama.api;
		try (Arena a = Arena.ofConfined()) {
			MemorySegment mp = (MemorySegment) api.invoke(api.llama_model_default_params, a);
			Structs.set(mp, Structs.MODEL_PARAMS, "n_gpu_layers", 0);
			MemorySegment model = api.ptr(api.llama_model_load_from_file, a.allocateFrom(args[2]), mp);
			if (model.equals(MemorySegment.NULL)) {
				System.out.println("probe: error: llama.cpp cannot load it");
				System.exit(2);
			}
			MemorySegment cp = (MemorySegment) api.invoke(api.llama_context_default_params, a);
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_ctx", 256);
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_threads", 1);
			MemorySegment ctx = api.ptr(api.llama_init_from_model, model, cp);
			if (!ctx.equals(MemorySegment.NULL)) {
				api.invoke(api.llama_free, ctx);
			}
			api.invoke(api.llama_model_free, model);
		}
		System.out.println("probe: loaded");
		System.exit(0);
	}
}
