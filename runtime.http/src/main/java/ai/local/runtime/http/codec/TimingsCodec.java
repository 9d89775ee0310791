package ai.local.runtime.http.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.Usage;

/**
 * llama-server's {@code timings} object, on the last object of an answer whose provider measured the model's time:
 * {@code cache_n} prompt tokens reused, {@code prompt_n} read in {@code prompt_ms}, {@code predicted_n} generated
 * in {@code predicted_ms}, with the rates. llama-server's web UI and benchmark tools read it.
 */
public final class TimingsCodec {
	private TimingsCodec() {
	}

	/** Adds {@code timings} to {@code o} when the usage has times; returns {@code o}. */
	public static ObjectNode put(ObjectNode o, Usage u) {
		if (u == null || !u.timed()) {
			return o;
		}
		ObjectNode t = o.putObject("timings");
		int read = u.promptTokens() - u.cachedTokens();
		double promptMs = u.promptNanos() / 1e6, predictedMs = u.generationNanos() / 1e6;
		t.put("cache_n", u.cachedTokens());
		t.put("prompt_n", read);
		t.put("prompt_ms", promptMs);
		t.put("prompt_per_token_ms", read == 0 ? 0 : promptMs / read);
		t.put("prompt_per_second", promptMs == 0 ? 0 : read * 1e3 / promptMs);
		t.put("predicted_n", u.completionTokens());
		t.put("predicted_ms", predictedMs);
		t.put("predicted_per_token_ms", u.completionTokens() == 0 ? 0 : predictedMs / u.completionTokens());
		t.put("predicted_per_second", predictedMs == 0 ? 0 : u.completionTokens() * 1e3 / predictedMs);
		return o;
	}
}
