package ai.local.runtime.llamacpp.jni;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;

/**
 * Run in a child JVM by {@link ModelProbe}: loads a model the way the engine does and exits 0. When llama.cpp
 * aborts on the file (a failed assertion, an uncaught C++ exception), it is this short-lived process that dies,
 * not the runtime. Arguments: the directory of the native library, the model file, the context size.
 */
public final class Probe {

	private Probe() {
	}

	public static void main(String[] args) {
		System.setProperty("de.kherud.llama.lib.path", args[0]);
		System.setProperty("de.kherud.llama.tmpdir", args[0] + "/probe-tmp");
		new java.io.File(args[0], "probe-tmp").mkdirs();
		ModelParameters p = new ModelParameters().setModel(args[1]).setCtxSize(Integer.parseInt(args[2])).setParallel(1)
				.setGpuLayers(0).setThreads(1).skipWarmup().enableJinja();
		try (LlamaModel model = new LlamaModel(p)) {
			System.out.println("probe: loaded");
		}
		System.exit(0);
	}
}
