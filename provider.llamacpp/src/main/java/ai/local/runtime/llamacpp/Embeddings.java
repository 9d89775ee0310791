package ai.local.runtime.llamacpp;

import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;

/** Embeddings from a model loaded for them: one vector per input, L2-normalised, optionally shortened. */
final class Embeddings {

	private Embeddings() {
	}

	static EmbeddingResult of(LlamaModelHandle model, EmbeddingRequest request) {
		List<int[]> inputs = new ArrayList<>();
		for (String text : request.texts()) {
			inputs.add(text.isEmpty() ? new int[0] : model.tokenize(text, true));
		}
		inputs.addAll(request.tokens());
		List<float[]> vectors = new ArrayList<>();
		int tokens = 0;
		for (int i = 0; i < inputs.size(); i++) {
			int[] ids = inputs.get(i);
			if (ids.length == 0) {
				throw ApiException.invalidRequest("input[" + i + "] is empty", "input");
			}
			tokens += ids.length;
			try {
				vectors.add(shorten(model.embed(ids), request.dimensions()));
			} catch (IllegalArgumentException e) {
				throw ApiException.invalidRequest("input[" + i + "]: " + e.getMessage(), "input");
			}
		}
		return new EmbeddingResult(vectors, tokens);
	}

	private static float[] shorten(float[] v, Integer dimensions) {
		if (dimensions != null && (dimensions < 1 || dimensions > v.length)) {
			throw ApiException.invalidRequest("dimensions must be from 1 to " + v.length + " for this model", "dimensions");
		}
		float[] out = dimensions == null ? v.clone() : java.util.Arrays.copyOf(v, dimensions);
		double norm = 0;
		for (float x : out) {
			norm += x * x;
		}
		norm = Math.sqrt(norm);
		if (norm > 0) {
			for (int i = 0; i < out.length; i++) {
				out[i] /= norm;
			}
		}
		return out;
	}
}
