package ai.local.runtime.llamacpp;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.llamacpp.engine.LlamaEngine;

/**
 * The engine the provider runs its models on, with their cache: of the registered engines the configured
 * {@code native.variant}, else a GPU one before the CPU one. A request that finds none waits while the engine is
 * being swapped, or while the runtime starts and the engine bundle comes up beside the provider.
 */
final class CurrentEngine {
	private static final Logger LOG = LoggerFactory.getLogger(CurrentEngine.class);
	/** How long a request waits for the engine to come back while it is being swapped. */
	private static final Duration SWAP = Duration.ofSeconds(65);
	/** How long after the provider starts a request waits for the engine bundle, which starts beside it. */
	private static final Duration START = Duration.ofSeconds(30);

	private final List<LlamaEngine> engines = new CopyOnWriteArrayList<>();
	private final ExecutorService loader;
	private final long startedAt = System.nanoTime();
	private final Object arrived = new Object();
	private volatile ModelCache cache;
	private volatile boolean stopping;
	private volatile boolean hadEngine;

	CurrentEngine(ExecutorService loader) {
		this.loader = loader;
	}

	void add(LlamaEngine engine) {
		engines.add(engine);
		hadEngine = true;
	}

	void remove(LlamaEngine engine) {
		engines.remove(engine);
	}

	/** Wakes the requests waiting for an engine once {@link #select} ran. */
	void announce() {
		synchronized (arrived) {
			arrived.notifyAll();
		}
	}

	/**
	 * Uses the preferred engine with a new cache when it is another than the current one's, or when {@code reload};
	 * the models of the cache it replaces are retired. Returns whether a new cache (or none) took over.
	 */
	synchronized boolean select(LlamaSettings s, boolean reload) {
		Comparator<LlamaEngine> gpuFirst = Comparator.comparing(e -> e.variant().equals("cpu"));
		LlamaEngine best = engines.stream()
				.filter(e -> s.nativeVariant().isEmpty() || e.variant().equals(s.nativeVariant()))
				.min(gpuFirst).orElse(null);
		if (best == null && !engines.isEmpty()) {
			best = engines.stream().min(gpuFirst).orElseThrow();
			LOG.warn("provider.llamacpp: native.variant '{}' is not available; using the {} engine", s.nativeVariant(),
					best.variant());
		}
		ModelCache current = cache;
		if (current != null && current.engine() == best && !reload) {
			return false;
		}
		if (best != null) {
			LOG.info("llama.cpp engine: {} variant, library {}", best.variant(), best.library());
		}
		cache = best == null ? null : new ModelCache(best, s.maxLoadedModels(), s.keepAlive(), s.pins(), loader);
		if (current != null) {
			current.retireAll();
		}
		return true;
	}

	/** The cache of the current engine, or null while there is none. */
	ModelCache cache() {
		return cache;
	}

	boolean stopping() {
		return stopping;
	}

	/** Stops waiting and serving: returns the cache whose requests are to be drained, or null. */
	ModelCache stop() {
		stopping = true;
		announce();
		ModelCache current = cache;
		cache = null;
		return current;
	}

	/** The cache to run a request on, waiting for an engine that is being swapped or still starting; else 503. */
	ModelCache await() {
		ModelCache c = cache;
		if (c == null && !stopping && hadEngine) {
			c = await(SWAP);
		} else if (c == null && !stopping && System.nanoTime() - startedAt < START.toNanos()) {
			c = await(START.minus(Duration.ofNanos(System.nanoTime() - startedAt)));
		}
		if (c == null || stopping) {
			throw ApiException.unavailable(stopping ? "The llama.cpp provider is stopping"
					: "No llama.cpp engine is running (deploy/ needs llama.engine.jar and llama.native.<platform>.jar)",
					Duration.ofSeconds(5));
		}
		return c;
	}

	/**
	 * Waits while the engine is being swapped (it withdraws itself while a GPU backend goes, until the models it ran
	 * are closed: at most 60 s), or while it starts.
	 */
	private ModelCache await(Duration atMost) {
		long deadline = System.nanoTime() + atMost.toNanos();
		synchronized (arrived) {
			while (cache == null && !stopping && System.nanoTime() < deadline) {
				try {
					arrived.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		return cache;
	}
}
