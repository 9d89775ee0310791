package ai.local.runtime.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.local.runtime.api.SessionInfo;

/** Sessions in this JVM: the least recently used beyond {@code maxSessions} are dropped, idle ones expire. */
final class MemoryBackend implements Backend {
	private record Entry(List<Turn> turns, long writtenAt) {
	}

	private final Duration ttl;
	private final Clock clock;
	private final Map<String, Entry> sessions;

	MemoryBackend(int maxSessions, Duration ttl, Clock clock) {
		this.ttl = ttl;
		this.clock = clock;
		this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, MemoryBackend.Entry> eldest) {
				return size() > maxSessions;
			}
		};
	}

	@Override
	public synchronized List<Turn> turns(String id) {
		Entry e = live(id);
		return e == null ? List.of() : e.turns();
	}

	@Override
	public synchronized void append(String id, Turn turn) {
		Entry e = live(id);
		List<Turn> turns = new ArrayList<>(e == null ? List.of() : e.turns());
		turns.add(turn);
		sessions.put(id, new Entry(List.copyOf(turns), clock.millis()));
	}

	@Override
	public synchronized void replace(String id, Turn whole) {
		sessions.put(id, new Entry(List.of(whole), clock.millis()));
	}

	@Override
	public synchronized boolean delete(String id) {
		return sessions.remove(id) != null;
	}

	@Override
	public synchronized List<SessionInfo> list(int limit) {
		long now = clock.millis();
		return sessions.entrySet().stream()
				.filter(e -> ttl.isZero() || now - e.getValue().writtenAt() <= ttl.toMillis())
				.sorted(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().writtenAt()).reversed())
				.limit(limit)
				.map(e -> new SessionInfo(e.getKey(), e.getValue().turns().size(),
						Instant.ofEpochMilli(e.getValue().writtenAt())))
				.toList();
	}

	@Override
	public synchronized void clear() {
		sessions.clear();
	}

	@Override
	public synchronized void close() {
		sessions.clear();
	}

	private Entry live(String id) {
		Entry e = sessions.get(id);
		if (e != null && !ttl.isZero() && clock.millis() - e.writtenAt() > ttl.toMillis()) {
			sessions.remove(id);
			return null;
		}
		return e;
	}
}
