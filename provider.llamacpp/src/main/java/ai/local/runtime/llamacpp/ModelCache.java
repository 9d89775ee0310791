package ai.local.runtime.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.llamacpp.engine.LlamaEngine;
import ai.local.runtime.llamacpp.engine.LoadSpec;

/**
 * The models loaded by one engine, at most {@code max} of them. A model is loaded on first use, on a loader
 * thread of its own; concurrent first requests wait for that one load. Loaded models are kept and reused until
 * they have been idle for their keep-alive (the configured one, or the last request's {@code keep_alive}; 0
 * unloads after the request, null keeps them); when another model is needed, the least recently used idle one is
 * closed, which frees its memory. Pinned models are never unloaded for being idle or to make room. A file that
 * fails to load is remembered (until it changes) so that every request for it gets the same clear error at once.
 */
final class ModelCache {
	private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

	private record Key(String id, boolean embedding) {
	}

	private static final class Entry {
		final Key key;
		final CompletableFuture<LoadedModel> model = new CompletableFuture<>();
		int leases;
		boolean retired;
		/** When it became idle (System.nanoTime), and for how long it stays loaded then (null: for ever). */
		long idleSince = System.nanoTime();
		Duration keepAlive;
		/** Estimated before the load, then as loaded (llama.cpp's weights); read under the cache's lock. */
		volatile MemoryEstimate memory;

		Entry(Key key) {
			this.key = key;
		}
	}

	private record Failure(long modified, ApiException error) {
	}

	private final LlamaEngine engine;
	private final MemoryFit fit;
	private final int max;
	private volatile Duration keepAlive;
	private volatile Set<String> pins;
	private final ExecutorService loader;
	private final ScheduledExecutorService sweeper;
	private final Map<Key, Entry> entries = new LinkedHashMap<>(8, 0.75f, true);
	private final Map<Path, Failure> failures = new LinkedHashMap<>();
	private final List<Entry> retiring = new ArrayList<>();

	/** @param keepAlive how long an idle model stays loaded; null: for ever */
	ModelCache(LlamaEngine engine, int max, Duration keepAlive, Set<String> pins, ExecutorService loader) {
		this.engine = engine;
		this.fit = new MemoryFit(engine);
		this.max = max;
		this.keepAlive = keepAlive;
		this.pins = Set.copyOf(pins);
		this.loader = loader;
		this.sweeper = Executors.newSingleThreadScheduledExecutor(Daemons.named("llama.cpp keep-alive"));
		sweeper.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
	}

	/** A new configuration's keep-alive (for models idle from now on) and pins. */
	void keep(Duration newKeepAlive, Set<String> newPins) {
		keepAlive = newKeepAlive;
		pins = Set.copyOf(newPins);
	}

	/** Whether {@code id} is pinned (never unloaded for being idle or to make room). */
	boolean pinned(String id) {
		return pins.contains(id);
	}

	/** Closes the models whose keep-alive has run out since their last request. */
	void expire() {
		List<Entry> expired = new ArrayList<>();
		synchronized (this) {
			long now = System.nanoTime();
			for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
				Entry e = it.next();
				if (e.leases == 0 && e.model.isDone() && !pinned(e.key.id) && e.keepAlive != null
						&& now - e.idleSince >= e.keepAlive.toNanos()) {
					it.remove();
					expired.add(e);
				}
			}
		}
		for (Entry e : expired) {
			LOG.info("unloading model '{}': idle for {}", e.key.id, e.keepAlive);
			close(e);
		}
	}

	/** When the model unloads if no request comes; null while it is busy, pinned or kept for ever. */
	synchronized Instant expiresAt(LoadedModel model) {
		Entry e = peek(model);
		if (e == null || e.leases > 0 || pinned(model.id()) || e.keepAlive == null) {
			return null;
		}
		long left = e.keepAlive.toNanos() - (System.nanoTime() - e.idleSince);
		return Instant.now().plusNanos(Math.max(0, left));
	}

	/**
	 * Unloads the model (its generation and embedding instances): at once when idle, else when its running
	 * requests have finished. False when it was not loaded.
	 */
	boolean unload(String id) {
		List<Entry> idle = new ArrayList<>();
		boolean found = false;
		synchronized (this) {
			for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
				Entry e = it.next();
				if (e.key.id.equals(id)) {
					found = true;
					it.remove();
					e.retired = true;
					if (e.leases == 0) {
						idle.add(e);
					} else {
						retiring.add(e);
					}
				}
			}
		}
		idle.forEach(e -> {
			LOG.info("unloading model '{}' on request", e.key.id);
			close(e);
		});
		return found;
	}

	LlamaEngine engine() {
		return engine;
	}

	/**
	 * The model, loaded if need be; the caller must {@link #release} it. {@code spec} builds the load
	 * parameters; {@code slots} the slot pool of a newly loaded model.
	 */
	LoadedModel acquire(String id, Path file, boolean embedding, LoadSpec spec, Function<LoadSpec, SlotPool> slots,
			Duration timeout) {
		return acquire(id, file, embedding, spec, slots, timeout, null);
	}

	/** @param memory what the model will take, checked against the memory available before it loads; null: unchecked */
	LoadedModel acquire(String id, Path file, boolean embedding, LoadSpec spec, Function<LoadSpec, SlotPool> slots,
			Duration timeout, MemoryEstimate memory) {
		Entry entry;
		synchronized (this) {
			Failure failed = failures.get(file);
			if (failed != null && failed.modified == modified(file)) {
				throw failed.error;
			}
			Key key = new Key(id, embedding);
			entry = entries.get(key);
			if (entry == null) {
				makeRoom();
				if (memory != null) {
					fitMemory(id, memory);
				}
				entry = new Entry(key);
				entry.memory = memory;
				entries.put(key, entry);
				Entry loading = entry;
				loader.execute(() -> load(loading, file, spec, slots));
			}
			entry.leases++;
		}
		try {
			return entry.model.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		} catch (ExecutionException e) {
			release(entry);
			throw e.getCause() instanceof ApiException api ? api
					: new ApiException(ErrorType.INTERNAL, "Loading model '" + id + "' failed: " + e.getCause());
		} catch (TimeoutException e) {
			release(entry);
			throw ApiException.unavailable("Model '" + id + "' is still loading; retry shortly", Duration.ofSeconds(5));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			release(entry);
			throw ApiException.unavailable("Interrupted while model '" + id + "' was loading", null);
		}
	}

	void release(LoadedModel model) {
		release(model, keepAlive);
	}

	/** @param keepAlive how long it stays loaded once idle (the request's keep_alive); null: for ever */
	void release(LoadedModel model, Duration keepAlive) {
		Entry entry;
		synchronized (this) {
			entry = entries.get(new Key(model.id(), model.spec().pooling() != null));
			if (entry == null || entry.model.getNow(null) != model) {
				entry = retiring.stream().filter(e -> e.model.getNow(null) == model).findFirst().orElse(null);
			}
		}
		if (entry != null) {
			release(entry, keepAlive);
		}
	}

	/** Ids of models loading right now. */
	synchronized List<String> loading() {
		return entries.values().stream().filter(e -> !e.model.isDone()).map(e -> e.key.id).toList();
	}

	/** Loaded models (generation and embedding instances). */
	synchronized List<LoadedModel> loaded() {
		return entries.values().stream().map(e -> e.model.getNow(null)).filter(m -> m != null).toList();
	}

	/** Stops handing out models; each is closed once its last request has finished. */
	void retireAll() {
		sweeper.shutdownNow();
		List<Entry> idle = new ArrayList<>();
		synchronized (this) {
			for (Entry e : entries.values()) {
				e.retired = true;
				if (e.leases == 0) {
					idle.add(e);
				} else {
					retiring.add(e);
				}
			}
			entries.clear();
		}
		idle.forEach(ModelCache::close);
	}

	/** Requests still running on models of this cache. */
	synchronized int inUse() {
		int n = retiring.stream().mapToInt(e -> e.leases).sum();
		for (Entry e : entries.values()) {
			n += e.leases;
		}
		return n;
	}

	private void release(Entry entry) {
		release(entry, keepAlive);
	}

	private void release(Entry entry, Duration keepAlive) {
		boolean close;
		synchronized (this) {
			entry.leases--;
			if (entry.leases == 0) {
				entry.idleSince = System.nanoTime();
				entry.keepAlive = keepAlive;
			}
			close = entry.retired && entry.leases == 0;
			if (close) {
				retiring.remove(entry);
			}
			if (!close && entry.leases == 0 && keepAlive != null && keepAlive.isZero() && !pinned(entry.key.id)
					&& entries.get(entry.key) == entry) {
				// keep_alive 0: unloaded after this request
				entries.remove(entry.key);
				close = true;
			}
		}
		if (close) {
			close(entry);
		}
	}

	/** Called with the lock held: unloads idle models, least recently used first, until {@code memory} fits. */
	private void fitMemory(String id, MemoryEstimate memory) {
		Iterator<Entry> it = entries.values().iterator();
		fit.fit(id, memory, () -> {
			while (it.hasNext()) {
				Entry e = it.next();
				if (e.leases == 0 && e.model.isDone() && !pinned(e.key.id)) {
					it.remove();
					LOG.info("unloading model '{}' to make room in memory for '{}'", e.key.id, id);
					close(e);
					return true;
				}
			}
			return false;
		}, () -> entries.values().stream().map(e -> e.key.id + (e.memory == null ? ""
				: " " + MemoryEstimate.gb(e.memory.total()))).toList());
	}

	/** What the loaded model takes, as estimated when it loaded; null when unknown. */
	synchronized MemoryEstimate memory(LoadedModel model) {
		Entry e = peek(model);
		return e == null ? null : e.memory;
	}

	/** The model's entry without counting as a use (get would move it in the least-recently-used order). */
	private Entry peek(LoadedModel model) {
		Key key = new Key(model.id(), model.spec().pooling() != null);
		for (Entry e : entries.values()) {
			if (e.key.equals(key)) {
				return e;
			}
		}
		return null;
	}

	/** Called with the lock held: closes the least recently used idle model while the cache is full. */
	private void makeRoom() {
		Iterator<Entry> it = entries.values().iterator();
		while (entries.size() >= max && it.hasNext()) {
			Entry e = it.next();
			if (e.leases == 0 && e.model.isDone() && !pinned(e.key.id)) {
				it.remove();
				LOG.info("unloading model '{}' to make room (max.loaded.models={})", e.key.id, max);
				close(e);
			}
		}
		if (entries.size() >= max) {
			throw ApiException.overloaded("All " + max + " loaded models are in use or pinned (max.loaded.models); retry later",
					Duration.ofSeconds(5));
		}
	}

	private void load(Entry entry, Path file, LoadSpec spec, Function<LoadSpec, SlotPool> slots) {
		String what = entry.key.embedding ? "embedding model" : "model";
		long size = 0;
		try {
			size = Files.size(file);
		} catch (Exception e) {
			// reported by the load below
		}
		LOG.info("loading {} '{}' from {} ({} MB, {} engine, context {} in {} slots)", what, entry.key.id, file,
				size >> 20, engine.variant(), spec.contextSize(), spec.parallel());
		long start = System.nanoTime();
		try {
			var handle = engine.load(spec);
			LoadedModel model = new LoadedModel(entry.key.id, spec, handle, slots.apply(spec),
					ModelTemplate.of(entry.key.id, handle, GgufHeader.of(file).toolUseTemplate()));
			MemoryEstimate estimated = entry.memory;
			if (estimated != null && handle.info().sizeBytes() > 0) {
				// as loaded: llama.cpp's own size of the weights it holds, beside the KV cache of this context
				entry.memory = new MemoryEstimate(handle.info().sizeBytes(), estimated.kvCache(), estimated.compute(),
						estimated.gpuShare(), estimated.kvOnGpu());
			}
			LOG.info("loaded {} '{}' in {} ms{}", what, entry.key.id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
					entry.memory == null ? "" : ", memory " + entry.memory.describe()
							+ (estimated == null ? "" : " (estimated " + MemoryEstimate.gb(estimated.total()) + ")"));
			entry.model.complete(model);
		} catch (RuntimeException | LinkageError e) {
			LOG.error("cannot load {} '{}' from {}: {}", what, entry.key.id, file, e.getMessage());
			ApiException error = new ApiException(ErrorType.UNAVAILABLE, "Model '" + entry.key.id
					+ "' cannot be loaded from " + file + ": " + e.getMessage(), "model", "model_load_failed", null, e,
					true); // the same file fails the same way until it changes
			synchronized (this) {
				entries.remove(entry.key);
				failures.put(file, new Failure(modified(file), error));
			}
			entry.model.completeExceptionally(error);
		}
	}

	private static void close(Entry e) {
		LoadedModel m = e.model.getNow(null);
		if (m != null) {
			try {
				m.handle().close();
			} catch (RuntimeException ex) {
				LOG.warn("closing model '{}' failed: {}", e.key.id, ex.toString());
			}
		}
	}

	private static long modified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
		} catch (Exception e) {
			return -1;
		}
	}
}
