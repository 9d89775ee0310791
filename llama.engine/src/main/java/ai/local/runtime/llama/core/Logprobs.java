package ai.local.runtime.llama.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntFunction;

import ai.local.runtime.llamacpp.engine.Logprob;

/**
 * A sampled token's log-probability: the log-softmax of the step's raw logits (the model's distribution, before
 * temperature, penalties or grammar), and the {@code top} most likely tokens. Read on the decode loop's thread
 * right after sampling, before the next decode overwrites the logits; only for sequences that asked.
 */
final class Logprobs {
	private Logprobs() {
	}

	static Logprob of(MemorySegment logits, int vocabSize, int token, int top, IntFunction<byte[]> piece) {
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
		List<Logprob> best = new ArrayList<>();
		if (top > 0) {
			PriorityQueue<Integer> heap = new PriorityQueue<>(top + 1, (a, b) -> Float.compare(l[a], l[b]));
			for (int t = 0; t < l.length; t++) {
				if (heap.size() < top) {
					heap.add(t);
				} else if (l[t] > l[heap.peek()]) {
					heap.poll();
					heap.add(t);
				}
			}
			while (!heap.isEmpty()) {
				int t = heap.poll();
				best.add(0, new Logprob(t, piece.apply(t), (float) (l[t] - logZ), List.of()));
			}
		}
		return new Logprob(token, piece.apply(token), (float) (l[token] - logZ), best);
	}
}
