package ai.local.runtime.llamacpp.engine;

import java.util.Map;

/**
 * How the next token is chosen: temperature 0 is greedy; {@code topK} 0, {@code topP}/{@code typicalP} 1,
 * {@code minP} 0 and penalties 1/0/0 leave that step out. {@code logitBias} maps token ids to added logits
 * (negative infinity bans the token).
 */
public record Sampler(float temperature, int topK, float topP, float minP, float typicalP, float repeatPenalty,
		int penaltyLastN, float presencePenalty, float frequencyPenalty, Map<Integer, Float> logitBias, int seed) {

	public Sampler {
		logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
	}

	public static Sampler greedy() {
		return new Sampler(0, 0, 1, 0, 1, 1, 64, 0, 0, Map.of(), 0);
	}
}
