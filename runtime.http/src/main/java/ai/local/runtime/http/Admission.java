package ai.local.runtime.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.local.runtime.api.ApiException;

/**
 * Bounds the model requests running at once. Up to {@code maxQueued} more wait (at most the queue timeout)
 * for a free slot; beyond that a request is refused at once with 429 and Retry-After.
 */
final class Admission {
	private final Semaphore running;
	private final int maxQueued;
	private final Duration timeout;
	private final AtomicInteger waiting;

	Admission(int maxConcurrent, int maxQueued, Duration timeout, AtomicInteger waiting) {
		this.running = new Semaphore(maxConcurrent, true);
		this.maxQueued = maxQueued;
		this.timeout = timeout;
		this.waiting = waiting;
	}

	/** A taken slot; closing it frees the slot. */
	interface Slot extends AutoCloseable {
		@Override
		void close();
	}

	/** A slot, to be closed when the request is done. */
	Slot enter() {
		if (!running.tryAcquire()) {
			if (waiting.incrementAndGet() > maxQueued) {
				waiting.decrementAndGet();
				throw ApiException.overloaded("The runtime is at capacity (" + maxQueued
						+ " requests already queued); retry shortly", Duration.ofSeconds(1));
			}
			try {
				if (!running.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					throw ApiException.overloaded("No free slot within " + timeout.toSeconds() + " s; retry shortly",
							Duration.ofSeconds(2));
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw ApiException.unavailable("Interrupted while waiting for a free slot", Duration.ofSeconds(1));
			} finally {
				waiting.decrementAndGet();
			}
		}
		return running::release;
	}
}
