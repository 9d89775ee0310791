package ai.local.runtime.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import ai.local.runtime.api.ApiException;

/**
 * Bounds the model requests running at once, in all and per provider (a bulkhead: requests piling up on one hung
 * upstream cannot take the slots the others need). Up to the queue limits more wait (at most the queue timeout)
 * for a free slot; beyond that a request is refused at once with 429 and Retry-After. The limits change in
 * place: requests already running keep counting against the new ones.
 */
final class Admission {

	/** The limits; the per-provider ones are at most the global ones. */
	record Limits(int maxConcurrent, int maxQueued, int maxConcurrentPerProvider, int maxQueuedPerProvider,
			Duration timeout) {
	}

	/** One provider's running and waiting requests. */
	private static final class Count {
		int running;
		int waiting;
	}

	private final ReentrantLock lock = new ReentrantLock();
	private final Condition freed = lock.newCondition();
	private final Map<String, Count> providers = new HashMap<>();
	private final AtomicInteger waitingGauge;
	private Limits limits;
	private int running;
	private int waiting;

	Admission(Limits limits, AtomicInteger waitingGauge) {
		this.limits = limits;
		this.waitingGauge = waitingGauge;
	}

	/** A taken slot; closing it frees the slot. */
	interface Slot extends AutoCloseable {
		@Override
		void close();
	}

	void configure(Limits next) {
		lock.lock();
		try {
			limits = next;
			freed.signalAll();
		} finally {
			lock.unlock();
		}
	}

	/** A slot for a request to {@code provider}, to be closed when the request is done. */
	Slot enter(String provider) {
		lock.lock();
		try {
			Count p = providers.computeIfAbsent(provider, k -> new Count());
			if (!free(p)) {
				queue(provider, p);
			}
			running++;
			p.running++;
			return () -> release(provider, p);
		} finally {
			lock.unlock();
		}
	}

	private boolean free(Count p) {
		Limits l = limits;
		return running < l.maxConcurrent() && p.running < Math.min(l.maxConcurrentPerProvider(), l.maxConcurrent());
	}

	/** Waits for a slot; throws 429 when the queue is full or the wait times out. */
	private void queue(String provider, Count p) {
		Limits l = limits;
		if (waiting >= l.maxQueued() || p.waiting >= Math.min(l.maxQueuedPerProvider(), l.maxQueued())) {
			forget(provider, p);
			throw ApiException.overloaded("The runtime is at capacity for provider '" + provider + "' ("
					+ (waiting >= l.maxQueued() ? waiting + " requests" : p.waiting + " of its requests")
					+ " already queued); retry shortly", Duration.ofSeconds(1));
		}
		waiting++;
		p.waiting++;
		waitingGauge.incrementAndGet();
		try {
			long left = l.timeout().toNanos();
			while (!free(p)) {
				if (left <= 0) {
					throw ApiException.overloaded("No free slot for provider '" + provider + "' within "
							+ l.timeout().toSeconds() + " s; retry shortly", Duration.ofSeconds(2));
				}
				left = freed.awaitNanos(left);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw ApiException.unavailable("Interrupted while waiting for a free slot", Duration.ofSeconds(1));
		} finally {
			waiting--;
			p.waiting--;
			waitingGauge.decrementAndGet();
			if (Thread.currentThread().isInterrupted() || !free(p)) {
				forget(provider, p);
			}
		}
	}

	private void release(String provider, Count p) {
		lock.lock();
		try {
			running--;
			p.running--;
			forget(provider, p);
			freed.signalAll();
		} finally {
			lock.unlock();
		}
	}

	private void forget(String provider, Count p) {
		if (p.running == 0 && p.waiting == 0) {
			providers.remove(provider, p);
		}
	}

	/** Requests running now (for tests and status). */
	int running() {
		lock.lock();
		try {
			return running;
		} finally {
			lock.unlock();
		}
	}
}
