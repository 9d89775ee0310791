package ai.local.runtime.llamacpp;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.llamacpp.engine.Sampler;

/** A request's sampler settings for llama.cpp: chat and text completions alike. */
final class RequestSampler {

	private RequestSampler() {
	}

	/** The request's sampling, with the configured defaults; without a seed, a random one (as OpenAI). */
	static Sampler of(LlamaSettings settings, Sampling s, Map<String, Object> extra) {
		float temperature = (float) (s.temperature() != null ? s.temperature() : settings.temperature());
		Long seed = s.seed() != null ? s.seed() : settings.seed();
		Map<Integer, Float> bias = new HashMap<>();
		Object logitBias = extra.get("logit_bias");
		if (logitBias instanceof Map<?, ?> m) {
			for (Map.Entry<?, ?> e : m.entrySet()) {
				try {
					bias.put(Integer.parseInt(e.getKey().toString()), ((Number) e.getValue()).floatValue());
				} catch (RuntimeException bad) {
					throw ApiException.invalidRequest("logit_bias maps token ids to numbers", "logit_bias");
				}
			}
		}
		return new Sampler(temperature, s.topK() != null ? s.topK() : 40,
				(float) (s.topP() != null ? s.topP() : settings.topP()),
				(float) (s.minP() != null ? s.minP() : settings.minP()), typicalP(extra.get("typical_p")),
				(float) (s.repeatPenalty() != null ? s.repeatPenalty() : 1.0), 64,
				(float) (s.presencePenalty() != null ? s.presencePenalty() : 0.0),
				(float) (s.frequencyPenalty() != null ? s.frequencyPenalty() : 0.0), bias,
				(int) (seed != null ? seed : ThreadLocalRandom.current().nextInt()));
	}

	/** llama-server's extension; 1 leaves the step out. */
	private static float typicalP(Object value) {
		if (value == null) {
			return 1f;
		}
		if (!(value instanceof Number n) || n.doubleValue() <= 0 || n.doubleValue() > 1) {
			throw ApiException.invalidRequest("typical_p must be a number in (0, 1]", "typical_p");
		}
		return n.floatValue();
	}
}
