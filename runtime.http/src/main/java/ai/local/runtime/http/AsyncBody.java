package ai.local.runtime.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;

/**
 * Reads a request body as it arrives, holding no thread while the client is slow, bounded in size (413), time and
 * rate (408); a body that ends early is a 400. When it is whole the request is dispatched again (ASYNC) to run its
 * endpoint with the body as the {@link ApiFilter#BODY} attribute.
 */
final class AsyncBody implements ReadListener, AsyncListener {
	private static final int CHUNK = 64 * 1024;

	private final AsyncContext async;
	private final HttpServletRequest req;
	private final HttpServletResponse resp;
	private final ApiFilter.Exchange exchange;
	private final ServletInputStream in;
	private final long declared;
	private final long maxBytes;
	private final ApiException tooLarge;
	private final long minBytesPerSecond;
	private final long deadlineNanos;
	private final long start = System.nanoTime();
	private final ByteArrayOutputStream body;
	private final byte[] chunk = new byte[CHUNK];
	private final AtomicBoolean done = new AtomicBoolean();

	private AsyncBody(HttpServletRequest req, HttpServletResponse resp, ApiFilter.Exchange exchange, HttpSettings s,
			long minBytesPerSecond) throws IOException {
		this.req = req;
		this.resp = resp;
		this.exchange = exchange;
		this.declared = req.getContentLengthLong();
		this.maxBytes = s.maxBodyBytes();
		this.tooLarge = s.tooLarge();
		this.minBytesPerSecond = minBytesPerSecond;
		this.deadlineNanos = TimeUnit.SECONDS.toNanos(s.bodyTimeoutSeconds());
		this.body = new ByteArrayOutputStream((int) (declared >= 0 ? Math.min(declared, BodyReader.PREALLOCATE) : 8192));
		this.async = req.startAsync(req, resp);
		this.async.setTimeout(Duration.ofNanos(deadlineNanos).toMillis());
		this.async.addListener(this);
		this.in = req.getInputStream();
	}

	static void start(HttpServletRequest req, HttpServletResponse resp, ApiFilter.Exchange exchange, HttpSettings s,
			long minBytesPerSecond) throws IOException {
		if (req.getContentLengthLong() > s.maxBodyBytes()) {
			throw s.tooLarge();
		}
		AsyncBody reader = new AsyncBody(req, resp, exchange, s, minBytesPerSecond);
		reader.in.setReadListener(reader);
	}

	@Override
	public void onDataAvailable() throws IOException {
		try {
			while (!done.get() && in.isReady()) {
				int n = in.read(chunk);
				if (n < 0) {
					return;
				}
				if (body.size() + n > maxBytes) {
					throw tooLarge;
				}
				body.write(chunk, 0, n);
			}
			BodyReader.checkRate(start, System.nanoTime(), body.size(), deadlineNanos, minBytesPerSecond);
		} catch (ApiException e) {
			fail(e);
		}
	}

	@Override
	public void onAllDataRead() {
		if (declared >= 0 && body.size() < declared) {
			fail(ApiException.invalidRequest("The request body ended after " + body.size() + " of its " + declared
					+ " declared bytes (Content-Length)", null));
			return;
		}
		if (done.compareAndSet(false, true)) {
			req.setAttribute(ApiFilter.BODY, body.toByteArray());
			async.dispatch();
		}
	}

	@Override
	public void onError(Throwable t) {
		fail(BodyReader.timedOut(t) ? tooSlow() : ApiException.invalidRequest("The request body could not be read after "
				+ body.size() + " bytes: " + t.getClass().getSimpleName(), null));
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		fail(tooSlow());
	}

	@Override
	public void onError(AsyncEvent event) {
		onError(event.getThrowable());
	}

	@Override
	public void onComplete(AsyncEvent event) {
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/** Answers the error (the unread rest of the body closes the connection) and ends the exchange. */
	private void fail(ApiException e) {
		if (!done.compareAndSet(false, true)) {
			return;
		}
		try {
			resp.setHeader("Connection", "close");
			ErrorWriter.write(resp, e, exchange.dialect);
		} catch (IOException | RuntimeException gone) {
			// the client is gone; nothing to tell it
		} finally {
			exchange.finish(req, resp);
			async.complete();
		}
	}

	private ApiException tooSlow() {
		return BodyReader.tooSlow(body.size(), deadlineNanos, minBytesPerSecond);
	}
}
