package ai.local.runtime.llama.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import ai.local.runtime.llamacpp.engine.Logprob;

/**
 * A token's log-probability: the log-softmax of the step's raw logits (the model's distribution, before
 * temperature, penalties or grammar), and the {@code top} most likely tokens. Read right after the decode, before
 * the next one overwrites the logits; only for sequences that asked.
 */
final class Logprobs {
	private Logprobs() {
	}

	/** The numbers of one token's step, without the tokens' pieces: plain Java, so any thread may compute them. */
	record Scored(int token, float logprob, int[] top, float[] topLogprobs) {

		/** With the pieces, which llama.cpp gives (on the decode loop's thread). */
		Logprob with(IntFunction<byte[]> piece) {
			List<Logprob> best = new ArrayList<>(top.length);
			for (int i = 0; i < top.length; i++) {
				best.add(new Logprob(top[i], piece.apply(top[i]), topLogprobs[i], List.of()));
			}
			return new Logprob(token, piece.apply(token), logprob, best);
		}
	}

	static Logprob of(MemorySegment logits, int vocabSize, int token, int top, IntFunction<byte[]> piece) {
		return score(logits, vocabSize, token, top).with(piece);
	}

	static Scored score(MemorySegment logits, int vocabSize, int token, int top) {
		float[] l = logits.reinterpret(4L * vocabSize).toArray(ValueLayout.JAVA_FLOAT);
		float max = Float.NEGATIVE_INFINITY;
		for (float v : l) {
			max = Math.max(max, v);
		}
		double sum = 0;
		for (float v : l) {
			sum += Math.exp(v - max);
		}
		double logZ = max + Math.log(sum);
		int[] ids = top(l, Math.max(0, top));
		float[] values = new float[ids.length];
		for (int i = 0; i < ids.length; i++) {
			values[i] = (float) (l[ids[i]] - logZ);
		}
		return new Scored(token, (float) (l[token] - logZ), ids, values);
	}

	/** The {@code n} largest entries' indexes, largest first: one pass, each entry compared with the n-th so far. */
	private static int[] top(float[] l, int n) {
		int[] ids = new int[Math.min(n, l.length)];
		int size = 0;
		float floor = Float.NEGATIVE_INFINITY;
		for (int t = 0; t < l.length && ids.length > 0; t++) {
			float v = l[t];
			if (size == ids.length && v <= floor) {
				continue;
			}
			int i = size < ids.length ? size++ : ids.length - 1;
			while (i > 0 && l[ids[i - 1]] < v) {
				ids[i] = ids[i - 1];
				i--;
			}
			ids[i] = t;
			if (size == ids.length) {
				floor = l[ids[size - 1]];
			}
		}
		return ids;
	}
}
