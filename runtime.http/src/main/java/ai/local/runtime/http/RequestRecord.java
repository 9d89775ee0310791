package ai.local.runtime.http;

import jakarta.servlet.ServletRequest;

import ai.local.runtime.api.Usage;

/**
 * What one API request did, filled in as it runs (model, provider, tokens) and read by {@link ApiFilter}
 * for the request log line and the metrics.
 */
final class RequestRecord {
	static final String ATTRIBUTE = RequestRecord.class.getName();

	final String endpoint;
	/** The API key the client presented (forwarded upstream only by providers configured to); never logged. */
	final String callerKey;
	volatile String model;
	volatile String provider;
	volatile Usage usage;
	volatile boolean streamed;

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
	}
}
