package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;

class BodyReaderTest {
	private static final ApiException TOO_LARGE = new ApiException(ErrorType.PAYLOAD_TOO_LARGE, "too large");
	private final AtomicLong now = new AtomicLong();
	private final BodyReader reader = new BodyReader(1000, Duration.ofSeconds(30), 1024, now::get);

	@Test
	void aWholeBodyIsRead() {
		byte[] body = "{\"model\":\"m\"}".getBytes();
		assertArrayEquals(body, reader.read(new ByteArrayInputStream(body), body.length, TOO_LARGE));
		assertArrayEquals(body, reader.read(new ByteArrayInputStream(body), -1, TOO_LARGE), "chunked");
	}

	@Test
	void aBodyShorterThanItsLengthIsA400() {
		ApiException e = assertThrows(ApiException.class,
				() -> reader.read(new ByteArrayInputStream(new byte[10]), 100, TOO_LARGE));
		assertEquals(400, e.status());
		assertTrue(e.getMessage().contains("10 of its 100"), e.getMessage());
	}

	@Test
	void tooMuchIsA413EvenWithoutALength() {
		assertEquals(413, assertThrows(ApiException.class,
				() -> reader.read(new ByteArrayInputStream(new byte[2000]), -1, TOO_LARGE)).status());
		assertEquals(413, assertThrows(ApiException.class,
				() -> reader.read(new ByteArrayInputStream(new byte[10]), 5000, TOO_LARGE)).status());
	}

	@Test
	void aTricklingClientIsA408() {
		// one byte every 20 s: the reads return, the rate is far below 1 KB/s
		InputStream trickle = new InputStream() {
			@Override
			public int read() {
				return 'x';
			}

			@Override
			public int read(byte[] b, int off, int len) {
				now.addAndGet(TimeUnit.SECONDS.toNanos(20));
				b[off] = 'x';
				return 1;
			}
		};
		ApiException e = assertThrows(ApiException.class, () -> reader.read(trickle, 100, TOO_LARGE));
		assertEquals(408, e.status());
	}

	@Test
	void aStalledClientIsA408WhenTheIdleTimeoutEndsItsRead() {
		InputStream stalled = new InputStream() {
			@Override
			public int read() throws IOException {
				throw new IOException(new TimeoutException("Idle timeout expired: 30000/30000 ms"));
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return read();
			}
		};
		assertEquals(408, assertThrows(ApiException.class, () -> reader.read(stalled, 100, TOO_LARGE)).status());
	}
}
