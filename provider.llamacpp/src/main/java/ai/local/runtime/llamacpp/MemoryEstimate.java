package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a model takes once loaded, from its GGUF header, as llama.cpp lays it out: the weights (the files'
 * size: every part of a split model), the KV cache (context × layers' KV heads × key and value widths, F16) and
 * the compute buffers (a micro-batch of logits and activations, plus llama.cpp's fixed overhead). With a GPU
 * backend, {@code gpuShare} of the layers (n.gpu.layers of them) go to the GPU's memory, and their KV cache too
 * when {@code kvOnGpu} (offload.kqv).
 */
record MemoryEstimate(long weights, long kvCache, long compute, double gpuShare, boolean kvOnGpu) {

	MemoryEstimate(long weights, long kvCache, long compute) {
		this(weights, kvCache, compute, 0, false);
	}

	/** What the GPUs hold when there is one. */
	long gpu() {
		return gpuShare == 0 ? 0 : (long) (weights * gpuShare) + (kvOnGpu ? (long) (kvCache * gpuShare) : 0) + compute;
	}

	/** What stays in system memory when a GPU holds {@link #gpu()}. */
	long ramBesideGpu() {
		return (long) (weights * (1 - gpuShare)) + (kvOnGpu ? (long) (kvCache * (1 - gpuShare)) : kvCache) + compute;
	}
	private static final Pattern SHARD = Pattern.compile("(?i)^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$");
	private static final long OVERHEAD = 32L << 20;

	long total() {
		return weights + kvCache + compute;
	}

	/** @param context the context of all slots together; {@code ubatch} the micro-batch size */
	static MemoryEstimate of(Path file, GgufHeader.Shape s, long context, long ubatch) {
		return of(file, s, context, ubatch, 0, false);
	}

	/** @param gpuLayers n.gpu.layers (used when a GPU backend is loaded) */
	static MemoryEstimate of(Path file, GgufHeader.Shape s, long context, long ubatch, int gpuLayers, boolean kvOnGpu) {
		long kv = context * s.kvHeadsTotal() * (s.keyLength() + s.valueLength()) * 2;
		long compute = ubatch * (s.vocab() + 8 * s.embd()) * 4 + OVERHEAD;
		double share = s.layers() <= 0 ? (gpuLayers > 0 ? 1 : 0) : Math.min(1.0, (double) gpuLayers / s.layers());
		return new MemoryEstimate(weights(file), kv, compute, share, kvOnGpu);
	}

	private static long weights(Path file) {
		Matcher m = SHARD.matcher(file.getFileName().toString());
		if (!m.matches()) {
			return size(file);
		}
		long total = 0;
		int parts = Integer.parseInt(m.group(3));
		for (int i = 1; i <= parts; i++) {
			total += size(file.resolveSibling(String.format("%s-%05d-of-%05d.gguf", m.group(1), i, parts)));
		}
		return total;
	}

	private static long size(Path p) {
		try {
			return Files.size(p);
		} catch (IOException e) {
			return 0;
		}
	}

	/** Memory the system can give without swapping (Linux: MemAvailable), or -1 where it cannot tell. */
	static long available() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemAvailable:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		} catch (IOException | RuntimeException e) {
			// not Linux
		}
		return -1;
	}

	static String gb(long bytes) {
		return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
	}

	String describe() {
		return gb(total()) + " (weights " + gb(weights) + ", KV cache " + gb(kvCache) + ", compute " + gb(compute) + ")";
	}
}
