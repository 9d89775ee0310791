package ai.local.runtime.llamacpp;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.llamacpp.engine.DeviceMemory;
import ai.local.runtime.llamacpp.engine.LlamaEngine;

/**
 * Whether a model about to load fits the memory available (the GPUs' for the layers it offloads, the machine's for
 * the rest): idle models are unloaded until it does; if it cannot, a 503 naming the sizes, never an out-of-memory
 * crash of the process.
 */
final class MemoryFit {
	private static final Logger LOG = LoggerFactory.getLogger(MemoryFit.class);

	private final LlamaEngine engine;

	MemoryFit(LlamaEngine engine) {
		this.engine = engine;
	}

	/**
	 * @param unloadIdle closes the least recently used idle model (never a busy or pinned one); false when none is left
	 * @param loaded the loaded models with their sizes, for the error
	 */
	void fit(String id, MemoryEstimate memory, BooleanSupplier unloadIdle, Supplier<List<String>> loaded) {
		boolean gpu = memory.gpuShare() > 0 && gpuFree() >= 0;
		long need = gpu ? memory.ramBesideGpu() : memory.total();
		long available = MemoryEstimate.available();
		long gpuNeed = gpu ? memory.gpu() : 0;
		long gpuFree = gpu ? gpuFree() : 0;
		while ((available >= 0 && need > available || gpuNeed > gpuFree) && unloadIdle.getAsBoolean()) {
			available = MemoryEstimate.available();
			gpuFree = gpu ? gpuFree() : 0;
		}
		if (gpuNeed > gpuFree) {
			throw new ApiException(ErrorType.UNAVAILABLE, "Model '" + id + "' needs about "
					+ MemoryEstimate.gb(gpuNeed) + " of GPU memory (" + Math.round(memory.gpuShare() * 100)
					+ "% of its layers, n.gpu.layers); " + MemoryEstimate.gb(gpuFree) + " are free on the GPU"
					+ " (fewer n.gpu.layers keep more on the CPU)", "model", "insufficient_memory", Duration.ofSeconds(30), null);
		}
		if (available >= 0 && need > available) {
			List<String> busy = loaded.get();
			throw new ApiException(ErrorType.UNAVAILABLE, "Model '" + id + "' needs about " + memory.describe() + "; "
					+ MemoryEstimate.gb(available) + " are available" + (busy.isEmpty() ? ""
							: " with " + String.join(", ", busy) + " loaded and busy or pinned")
					+ " (a smaller n.ctx or parallel, or a smaller quantisation, fits in less)", "model",
					"insufficient_memory", Duration.ofSeconds(30), null);
		}
	}

	/** Free memory of the engine's GPUs together; -1 when it has none. */
	private long gpuFree() {
		long free = -1;
		try {
			for (DeviceMemory d : engine.deviceMemory()) {
				if (d.gpu()) {
					free = Math.max(0, free) + d.free();
				}
			}
		} catch (RuntimeException | LinkageError e) {
			LOG.debug("the GPUs' memory is unknown: {}", e.toString());
		}
		return free;
	}
}
