package ai.local.runtime.provider.openai.client;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.Usage;

/**
 * An upstream's token counts: OpenAI's {@code usage} (with {@code prompt_tokens_details.cached_tokens}), and
 * llama-server's {@code timings} beside it when the upstream sends them (llama-server, this runtime).
 */
final class UpstreamUsage {
	private UpstreamUsage() {
	}

	static Usage of(JsonNode usage, JsonNode timings) {
		if (usage == null || !usage.isObject()) {
			return Usage.NONE;
		}
		int cached = usage.path("prompt_tokens_details").path("cached_tokens").asInt(timings == null ? 0
				: timings.path("cache_n").asInt(0));
		return new Usage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0), cached,
				millisToNanos(timings, "prompt_ms"), millisToNanos(timings, "predicted_ms"));
	}

	private static long millisToNanos(JsonNode timings, String field) {
		double ms = timings == null ? 0 : timings.path(field).asDouble(0);
		return Double.isFinite(ms) && ms > 0 && ms < 1e12 ? (long) (ms * 1e6) : 0;
	}
}
