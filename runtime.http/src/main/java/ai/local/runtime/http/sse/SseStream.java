package ai.local.runtime.http.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.http.codec.Json;

/**
 * One server-sent-event stream: one writer under a lock, every event flushed as soon as it is written. The
 * response headers are committed on the first event, so a failure before it is still an ordinary HTTP error.
 * A failed write means the client went away: the stream turns {@link #cancelled()} and runs the cancel
 * actions once.
 */
public final class SseStream {
	private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
	private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

	/** Commits the response as an event stream, with the extra headers given, and hands over its body. */
	public interface Opener {
		OutputStream open(Map<String, String> headers) throws IOException;
	}

	private final ReentrantLock lock = new ReentrantLock();
	private final Opener opener;
	/** Newline-delimited JSON (Ollama's streams): no comment lines, so no heartbeats or late notes either. */
	private final boolean ndjson;
	private final List<Runnable> cancelActions = new ArrayList<>();
	private final Map<String, String> headers = new LinkedHashMap<>();
	private OutputStream out;
	/** {@code out != null}, readable without the lock. */
	private volatile boolean opened;
	private volatile boolean cancelled;
	private volatile long lastWrite = System.nanoTime();
	private boolean closed;

	public SseStream(Opener opener) {
		this(opener, false);
	}

	private SseStream(Opener opener, boolean ndjson) {
		this.opener = opener;
		this.ndjson = ndjson;
	}

	/**
	 * A stream of JSON lines ({@link #line}) instead of events: each object on one line, flushed as it is
	 * written; comments and heartbeats are left out, as a JSON-lines reader would choke on them.
	 */
	public static SseStream ndjson(Opener opener) {
		return new SseStream(opener, true);
	}

	/** {@code <json>\n}, one line of an NDJSON stream. */
	public void line(JsonNode json) {
		byte[] bytes = Json.bytes(json);
		byte[] frame = java.util.Arrays.copyOf(bytes, bytes.length + 1);
		frame[bytes.length] = '\n';
		writeRaw(frame);
	}

	/** A response header for the stream; ignored once the first event has committed the headers. */
	public void header(String name, String value) {
		lock.lock();
		try {
			if (out == null) {
				headers.put(name, value);
			}
		} finally {
			lock.unlock();
		}
	}

	/** {@code data: <json>\n\n}. */
	public void data(JsonNode json) {
		write(null, Json.bytes(json));
	}

	/** {@code event: <name>\ndata: <json>\n\n}. */
	public void event(String name, JsonNode json) {
		write(name, Json.bytes(json));
	}

	/** {@code data: [DONE]\n\n}, the OpenAI end marker. */
	public void done() {
		writeRaw(DONE);
	}

	/** An SSE comment line; keeps proxies and clients from timing out while nothing else is sent. */
	public void heartbeat() {
		if (!ndjson) {
			writeRaw(HEARTBEAT);
		}
	}

	/** {@code : <text>\n\n}, a comment line that clients skip; line breaks become spaces. */
	public void comment(String text) {
		if (ndjson) {
			return;
		}
		writeRaw((": " + text.replace('\r', ' ').replace('\n', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A heartbeat when the stream has started and nothing was written for {@code idleNanos} (a long prompt
	 * prefill, a slow upstream, tools running). Never before the first event: that would commit a 200 while the
	 * request may still end as a 429 or 503 that clients retry. Never behind another write either: a writer
	 * blocked on a client that stopped reading holds the lock, and the heartbeat is skipped.
	 */
	public void heartbeatIfIdle(long idleNanos) {
		if (ndjson || !opened || System.nanoTime() - lastWrite < idleNanos || !lock.tryLock()) {
			return;
		}
		try {
			writeRaw(HEARTBEAT);
		} finally {
			lock.unlock();
		}
	}

	public boolean started() {
		return opened;
	}

	public boolean cancelled() {
		return cancelled;
	}

	public void onCancel(Runnable action) {
		boolean runNow;
		lock.lock();
		try {
			runNow = cancelled;
			if (!runNow) {
				cancelActions.add(action);
			}
		} finally {
			lock.unlock();
		}
		if (runNow) {
			action.run();
		}
	}

	/** Marks the stream finished; later writes are dropped. */
	public void close() {
		lock.lock();
		try {
			closed = true;
		} finally {
			lock.unlock();
		}
	}

	private void write(String event, byte[] json) {
		// "data: " + json + "\n\n", and "event: " + name + "\n" before it: the exact frame size
		int size = json.length + 8 + (event == null ? 0 : event.length() + 8);
		byte[] frame = new byte[size];
		int at = 0;
		if (event != null) {
			at = put(frame, at, "event: ");
			at = put(frame, at, event);
			frame[at++] = '\n';
		}
		at = put(frame, at, "data: ");
		System.arraycopy(json, 0, frame, at, json.length);
		at += json.length;
		frame[at++] = '\n';
		frame[at++] = '\n';
		writeRaw(frame);
	}

	private static int put(byte[] frame, int at, String ascii) {
		for (int i = 0; i < ascii.length(); i++) {
			frame[at++] = (byte) ascii.charAt(i);
		}
		return at;
	}

	private void writeRaw(byte[] frame) {
		List<Runnable> toRun = null;
		lock.lock();
		try {
			if (cancelled || closed) {
				return;
			}
			if (out == null) {
				out = opener.open(headers);
				opened = true;
			}
			out.write(frame);
			out.flush();
			lastWrite = System.nanoTime();
		} catch (IOException | RuntimeException e) {
			// a write that fails means the client disconnected: cancel instead of failing the producer
			cancelled = true;
			toRun = new ArrayList<>(cancelActions);
			cancelActions.clear();
		} finally {
			lock.unlock();
		}
		if (toRun != null) {
			toRun.forEach(Runnable::run);
		}
	}
}
