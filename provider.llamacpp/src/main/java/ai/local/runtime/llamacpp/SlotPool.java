package ai.local.runtime.llamacpp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import ai.local.runtime.api.ApiException;

/**
 * The parallel slots of one loaded model and the bounded queue in front of them. A request gets the free slot
 * whose last text shares the longest prefix with its prompt (the session's own slot first), so llama.cpp
 * decodes only the new suffix; when all slots are busy it waits, and when the queue is full it gets 429.
 */
final class SlotPool {
	private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
	private static final long POLL_MILLIS = 100;

	private final ReentrantLock lock = new ReentrantLock();
	private final Condition freed = lock.newCondition();
	private final boolean[] busy;
	private final String[] lastText;
	private final long[] lastUsed;
	private final Map<String, Integer> sessions;
	private final int maxQueued;
	private int waiting;

	SlotPool(int slots, int maxQueued, int maxSessions) {
		busy = new boolean[slots];
		lastText = new String[slots];
		lastUsed = new long[slots];
		this.maxQueued = maxQueued;
		sessions = new LinkedHashMap<>(16, 0.75f, true) {
			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
				return size() > maxSessions;
			}
		};
	}

	/** A slot held by one request; give it back with {@link #release}. */
	record Lease(int slot, String session) {
	}

	Lease acquire(String prompt, String session, Duration timeout, BooleanSupplier cancelled) {
		long deadline = System.nanoTime() + timeout.toNanos();
		lock.lock();
		try {
			int slot = choose(prompt, session);
			if (slot < 0) {
				if (waiting >= maxQueued) {
					throw ApiException.overloaded("All " + busy.length + " slots of this model are busy and " + waiting
							+ " requests are waiting (max.queued); retry later", RETRY_AFTER);
				}
				waiting++;
				try {
					while ((slot = choose(prompt, session)) < 0) {
						if (cancelled.getAsBoolean()) {
							throw ApiException.unavailable("The client went away while waiting for a slot", null);
						}
						long left = deadline - System.nanoTime();
						if (left <= 0) {
							throw ApiException.overloaded("No slot of this model became free within "
									+ timeout.toSeconds() + " s (queue.timeout.seconds)", RETRY_AFTER);
						}
						freed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
					}
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw ApiException.unavailable("Interrupted while waiting for a slot", null);
				} finally {
					waiting--;
				}
			}
			busy[slot] = true;
			return new Lease(slot, session);
		} finally {
			lock.unlock();
		}
	}

	/** Frees the slot; {@code text} is what its KV cache now holds (prompt and reply), for prefix matching. */
	void release(Lease lease, String text) {
		lock.lock();
		try {
			busy[lease.slot()] = false;
			lastText[lease.slot()] = text;
			lastUsed[lease.slot()] = System.nanoTime();
			if (lease.session() != null && !lease.session().isEmpty()) {
				sessions.put(lease.session(), lease.slot());
			}
			freed.signalAll();
		} finally {
			lock.unlock();
		}
	}

	int busy() {
		lock.lock();
		try {
			int n = 0;
			for (boolean b : busy) {
				n += b ? 1 : 0;
			}
			return n;
		} finally {
			lock.unlock();
		}
	}

	int waiting() {
		lock.lock();
		try {
			return waiting;
		} finally {
			lock.unlock();
		}
	}

	int size() {
		return busy.length;
	}

	private int choose(String prompt, String session) {
		Integer own = session == null ? null : sessions.get(session);
		if (own != null && !busy[own]) {
			return own;
		}
		int best = -1;
		int bestPrefix = -1;
		for (int i = 0; i < busy.length; i++) {
			if (busy[i]) {
				continue;
			}
			int prefix = commonPrefix(prompt, lastText[i]);
			if (prefix > bestPrefix || (prefix == bestPrefix && lastUsed[i] < lastUsed[best])) {
				best = i;
				bestPrefix = prefix;
			}
		}
		return best;
	}

	static int commonPrefix(String a, String b) {
		if (a == null || b == null) {
			return 0;
		}
		int n = Math.min(a.length(), b.length());
		int i = 0;
		while (i < n && a.charAt(i) == b.charAt(i)) {
			i++;
		}
		return i;
	}
}
