package ai.local.runtime.llamacpp;

import java.util.HashMap;
import java.util.List;
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
		Map<Integer, Float> bias = logitBias(extra.get("logit_bias"));
		return new Sampler(temperature, s.topK() != null ? s.topK() : 40,
				(float) (s.topP() != null ? s.topP() : settings.topP()),
				(float) (s.minP() != null ? s.minP() : settings.minP()), typicalP(extra.get("typical_p")),
				(float) (s.repeatPenalty() != null ? s.repeatPenalty() : 1.0), 64,
				(float) (s.presencePenalty() != null ? s.presencePenalty() : 0.0),
				(float) (s.frequencyPenalty() != null ? s.frequencyPenalty() : 0.0), bias,
				(int) (seed != null ? seed : ThreadLocalRandom.current().nextInt()));
	}

	/**
	 * OpenAI's map of token ids to numbers from -100 to 100, or llama-server's list of [id, number or false]
	 * (false: never that token).
	 */
	private static Map<Integer, Float> logitBias(Object value) {
		Map<Integer, Float> bias = new HashMap<>();
		if (value instanceof Map<?, ?> m) {
			m.forEach((id, b) -> bias.put(tokenId(id), amount(b, id)));
		} else if (value instanceof List<?> pairs) {
			for (Object pair : pairs) {
				if (!(pair instanceof List<?> p) || p.size() != 2) {
					throw ApiException.invalidRequest("logit_bias as a list holds [token id, bias] pairs", "logit_bias");
				}
				bias.put(tokenId(p.get(0)), Boolean.FALSE.equals(p.get(1)) ? Float.NEGATIVE_INFINITY : amount(p.get(1), p.get(0)));
			}
		} else if (value != null) {
			throw ApiException.invalidRequest("logit_bias maps token ids to numbers", "logit_bias");
		}
		return bias;
	}

	private static int tokenId(Object id) {
		try {
			return id instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue() : Integer.parseInt(id.toString());
		} catch (RuntimeException e) {
			throw ApiException.invalidRequest("logit_bias names token ids, not '" + id + "'", "logit_bias");
		}
	}

	private static float amount(Object value, Object id) {
		if (!(value instanceof Number n) || !(n.doubleValue() >= -100 && n.doubleValue() <= 100)) {
			throw ApiException.invalidRequest("logit_bias values are numbers from -100 to 100, not " + value + " (token "
					+ id + ")", "logit_bias");
		}
		return n.floatValue();
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
