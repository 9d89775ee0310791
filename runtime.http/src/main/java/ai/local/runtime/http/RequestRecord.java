package ai.local.runtime.http;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import jakarta.servlet.ServletRequest;

import ai.local.runtime.api.LiveRequest;
import ai.local.runtime.api.Usage;

/**
 * What one API request did, filled in as it runs (model, provider, tokens) and read by {@link ApiFilter}
 * for the request log line and the metrics, and by {@link LiveRequestTracker} while it runs.
 */
final class RequestRecord {
	static final String ATTRIBUTE = RequestRecord.class.getName();
	private static final AtomicLong IDS = new AtomicLong();

	final long id = IDS.incrementAndGet();
	final Instant started = Instant.now();
	final String endpoint;
	/** The API key the client presented (forwarded upstream only by providers configured to); never logged. */
	volatile String callerKey;
	volatile String model;
	volatile String provider;
	/** The provider it was routed to: a provider that goes away waits for the requests that use it. */
	volatile ProviderEntry entry;
	volatile Usage usage;
	volatile boolean streamed;
	/** The status of an error reported in-band after the stream had started (its HTTP status was already 200). */
	volatile int failedStatus;
	/** Whether the client is still connected (see {@link ClientPresence}). */
	volatile BooleanSupplier clientPresent = () -> true;
	/** Tool calls the server-side tool loop ran for it. */
	volatile int toolCalls;

	RequestRecord(String endpoint, String callerKey) {
		this.endpoint = endpoint;
		this.callerKey = callerKey;
	}

	/** The record of this request; a detached one when the request did not pass the filter. */
	static RequestRecord of(ServletRequest req) {
		Object r = req.getAttribute(ATTRIBUTE);
		return r instanceof RequestRecord rec ? rec : new RequestRecord("unknown", null);
	}

	void route(Route route) {
		this.model = route.requestedModel();
		this.provider = route.providerName();
		this.entry = route.entry();
	}

	LiveRequest live() {
		return new LiveRequest(id, endpoint, model, provider, streamed, started);
	}
}
