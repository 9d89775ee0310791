package ai.local.runtime.provider.openai.client;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import ai.local.runtime.api.ModelInfo;

/**
 * A model list fetched at most once per TTL. A failure is remembered for a short while too, so a dead
 * upstream costs /v1/models one attempt, not one per call; concurrent callers share one fetch.
 */
public final class ModelListCache {
	private static final long FAILURE_TTL_NANOS = Duration.ofSeconds(2).toNanos();

	private final Supplier<List<ModelInfo>> fetch;
	private List<ModelInfo> models;
	private RuntimeException failure;
	private long validUntil;

	public ModelListCache(Supplier<List<ModelInfo>> fetch) {
		this.fetch = fetch;
	}

	public synchronized List<ModelInfo> get(Duration ttl) {
		long now = System.nanoTime();
		if (now - validUntil < 0) {
			if (failure != null) {
				throw failure;
			}
			return models;
		}
		try {
			models = List.copyOf(fetch.get());
			failure = null;
			validUntil = now + ttl.toNanos();
			return models;
		} catch (RuntimeException e) {
			failure = e;
			models = null;
			validUntil = now + Math.min(FAILURE_TTL_NANOS, ttl.toNanos());
			throw e;
		}
	}

	/** Forgets the list, e.g. after the upstream's address changed or it stopped answering. */
	public synchronized void clear() {
		validUntil = System.nanoTime();
		models = null;
		failure = null;
	}
}
