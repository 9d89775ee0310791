package ai.local.runtime.http.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.local.runtime.http.codec.Json;

class SseStreamTest {

	@Test
	void framesAreDataOrEventPlusDataAndABlankLine() {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		AtomicInteger opened = new AtomicInteger();
		SseStream s = new SseStream(headers -> {
			opened.incrementAndGet();
			return body;
		});
		assertFalse(s.started());
		s.data(Json.object().put("a", "é\n"));
		s.event("message_stop", Json.object().put("type", "message_stop"));
		s.heartbeat();
		s.done();
		assertEquals(1, opened.get(), "headers are committed once, by the first event");
		assertEquals("data: {\"a\":\"é\\n\"}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
				+ ": keep-alive\n\ndata: [DONE]\n\n", body.toString(StandardCharsets.UTF_8));
	}

	@Test
	void noHeartbeatBeforeTheFirstEventCommitsTheStatus() {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		AtomicInteger opened = new AtomicInteger();
		SseStream s = new SseStream(headers -> {
			opened.incrementAndGet();
			return body;
		});
		s.heartbeatIfIdle(0);
		assertEquals(0, opened.get(), "a heartbeat alone must not commit a 200: the request may still fail");
		assertFalse(s.started());
		s.data(Json.object());
		s.heartbeatIfIdle(0);
		assertTrue(body.toString(StandardCharsets.UTF_8).endsWith(": keep-alive\n\n"));
	}

	@Test
	void aHeartbeatNeverWaitsBehindAStalledWrite() throws Exception {
		java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		AtomicInteger writes = new AtomicInteger();
		OutputStream slow = new OutputStream() {
			@Override
			public void write(int b) {
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				if (writes.incrementAndGet() == 2) {
					stalled.countDown();
					try {
						release.await();
					} catch (InterruptedException e) {
						throw new IOException(e);
					}
				}
			}
		};
		SseStream s = new SseStream(headers -> slow);
		s.data(Json.object());
		Thread writer = new Thread(() -> s.data(Json.object()));
		writer.start();
		stalled.await();
		long t0 = System.nanoTime();
		s.heartbeatIfIdle(0);
		assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the heartbeat waited for the stalled writer");
		assertEquals(2, writes.get(), "skipped, not queued behind it");
		release.countDown();
		writer.join();
	}

	@Test
	void aFailedWriteIsADisconnectThatCancelsOnce() {
		AtomicInteger writes = new AtomicInteger();
		OutputStream broken = new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				throw new IOException("Broken pipe");
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				writes.incrementAndGet();
				throw new IOException("Broken pipe");
			}
		};
		SseStream s = new SseStream(headers -> broken);
		AtomicInteger cancels = new AtomicInteger();
		s.onCancel(cancels::incrementAndGet);
		s.data(Json.object());
		s.data(Json.object());
		assertTrue(s.cancelled());
		assertEquals(1, cancels.get());
		assertEquals(1, writes.get(), "nothing is written after the disconnect");
		s.onCancel(cancels::incrementAndGet);
		assertEquals(2, cancels.get(), "a late listener runs at once");
	}
}
