package ai.local.runtime.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;

/**
 * Reads a request body whole, bounded in size, time and rate: a client that declares a body and trickles it (or
 * stops) gets 408 instead of holding a server thread, one that hangs up early gets 400, and one that sends more
 * than allowed gets 413. A read blocks at most the listener's idle timeout; between reads the deadline and the
 * minimum rate are checked.
 */
final class BodyReader {
	/** Reads start from an array of the declared length only up to this size; larger bodies grow as they arrive. */
	static final int PREALLOCATE = 1 << 20;
	private static final int CHUNK = 64 * 1024;
	/** The rate is judged only after this long: a body's first bytes may come with some delay. */
	private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final long maxBytes;
	private final long deadlineNanos;
	private final long minBytesPerSecond;
	private final LongSupplier clock;

	BodyReader(long maxBytes, Duration deadline, long minBytesPerSecond, LongSupplier clock) {
		this.maxBytes = maxBytes;
		this.deadlineNanos = deadline.toNanos();
		this.minBytesPerSecond = minBytesPerSecond;
		this.clock = clock;
	}

	byte[] read(InputStream in, long declared, ApiException tooLarge) {
		if (declared > maxBytes) {
			throw tooLarge;
		}
		long start = clock.getAsLong();
		// a body of a declared size up to 1 MiB is read into an array of that size (the usual case, no copy); a
		// larger or undeclared one grows as it arrives, so a client cannot make the heap hold what it never sends
		boolean sized = declared >= 0 && declared <= PREALLOCATE;
		byte[] whole = sized ? new byte[(int) declared] : null;
		ByteArrayOutputStream grown = sized ? null : new ByteArrayOutputStream(8192);
		byte[] chunk = sized ? whole : new byte[CHUNK];
		long total = 0;
		try {
			while (declared < 0 || total < declared) {
				int off = sized ? (int) total : 0;
				int len = sized ? whole.length - off : (int) Math.min(CHUNK, declared < 0 ? CHUNK : declared - total);
				int n = in.read(chunk, off, len);
				if (n < 0) {
					if (declared >= 0) {
						throw ApiException.invalidRequest("The request body ended after " + total + " of its "
								+ declared + " declared bytes (Content-Length)", null);
					}
					break;
				}
				total += n;
				if (total > maxBytes) {
					throw tooLarge;
				}
				if (!sized) {
					grown.write(chunk, 0, n);
				}
				if (clock.getAsLong() - start > deadlineNanos) {
					throw tooSlow(total);
				}
				checkRate(start, clock.getAsLong(), total, deadlineNanos, minBytesPerSecond);
			}
		} catch (IOException e) {
			if (timedOut(e)) {
				throw tooSlow(total);
			}
			throw ApiException.invalidRequest("The request body could not be read after " + total + " bytes: "
					+ e.getClass().getSimpleName(), null);
		}
		return sized ? whole : grown.toByteArray();
	}

	/** 408 when, after a grace period, fewer than {@code minBytesPerSecond} bytes a second have arrived. */
	static void checkRate(long start, long now, long total, long deadlineNanos, long minBytesPerSecond) {
		long elapsed = now - start;
		if (elapsed > GRACE_NANOS && total < minBytesPerSecond * TimeUnit.NANOSECONDS.toSeconds(elapsed)) {
			throw tooSlow(total, deadlineNanos, minBytesPerSecond);
		}
	}

	private ApiException tooSlow(long total) {
		return tooSlow(total, deadlineNanos, minBytesPerSecond);
	}

	static ApiException tooSlow(long total, long deadlineNanos, long minBytesPerSecond) {
		return new ApiException(ErrorType.REQUEST_TIMEOUT, "The request body did not arrive in time (" + total
				+ " bytes received; send the body within " + TimeUnit.NANOSECONDS.toSeconds(deadlineNanos)
				+ " s, at least " + minBytesPerSecond + " bytes a second)", null, "request_timeout", null, null);
	}

	/** Whether a read failed because the client sent nothing for the listener's idle timeout. */
	static boolean timedOut(Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
				return true;
			}
		}
		return false;
	}
}
