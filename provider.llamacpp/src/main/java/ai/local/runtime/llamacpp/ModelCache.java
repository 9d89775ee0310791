package ai.local.runtime.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
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
 * thread of its own; requests for it wait meanwhile. Loaded models are kept and reused; when another model is
 * needed, the least recently used idle one is closed, which frees its memory. A file that fails to load is remembered (until it changes) so that every request for it gets the
 * same clear error at once.
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

		Entry(Key key) {
			this.key = key;
		}
	}

	private record Failure(long modified, ApiException error) {
	}

	private final LlamaEngine engine;
	private final int max;
	private final ExecutorService loader;
	private final Map<Key, Entry> entries = new LinkedHashMap<>(8, 0.75f, true);
	private final Map<Path, Failure> failures = new LinkedHashMap<>();
	private final List<Entry> retiring = new ArrayList<>();

	ModelCache(LlamaEngine engine, int max, ExecutorService loader) {
		this.engine = engine;
		this.max = max;
		this.loader = loader;
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
				entry = new Entry(key);
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
		Entry entry;
		synchronized (this) {
			entry = entries.get(new Key(model.id(), model.spec().pooling() != null));
			if (entry == null || entry.model.getNow(null) != model) {
				entry = retiring.stream().filter(e -> e.model.getNow(null) == model).findFirst().orElse(null);
			}
		}
		if (entry != null) {
			release(entry);
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
		boolean close;
		synchronized (this) {
			entry.leases--;
			close = entry.retired && entry.leases == 0;
			if (close) {
				retiring.remove(entry);
			}
		}
		if (close) {
			close(entry);
		}
	}

	/** Called with the lock held: closes the least recently used idle model while the cache is full. */
	private void makeRoom() {
		Iterator<Entry> it = entries.values().iterator();
		while (entries.size() >= max && it.hasNext()) {
			Entry e = it.next();
			if (e.leases == 0 && e.model.isDone()) {
				it.remove();
				LOG.info("unloading model '{}' to make room (max.loaded.models={})", e.key.id, max);
				close(e);
			}
		}
		if (entries.size() >= max) {
			throw ApiException.overloaded("All " + max + " loaded models are in use (max.loaded.models); retry later",
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
			LOG.info("loaded {} '{}' in {} ms", what, entry.key.id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
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
