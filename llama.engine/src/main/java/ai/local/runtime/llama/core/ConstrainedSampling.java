package ai.local.runtime.llama.core;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import ai.local.runtime.llama.ffm.Llama;

/**
 * Sampling under a grammar without the ways it aborts the process. llama.cpp's one-call sampling hands the grammar
 * whatever token the draw picked, and the grammar aborts on a token it does not allow; when it allows none (its end
 * reached while the end of generation is banned, as with ignore_eos, or every token it allows banned by a logit
 * bias), the draw picks one anyway. Here the constraint (bias and grammar) is applied first, what it allows is
 * read, the rest of the chain picks, and only an allowed token is accepted. Used on the decode loop's thread only,
 * for sequences with a grammar; one per model, its buffers sized to the vocabulary.
 */
final class ConstrainedSampling {
	private static final long ENTRY = Llama.TOKEN_DATA.byteSize();
	private static final long LOGIT = Llama.TOKEN_DATA.byteOffset(groupElement("logit"));
	private static final long P = Llama.TOKEN_DATA.byteOffset(groupElement("p"));

	private final Llama api;
	private final int vocabSize;
	private final MemorySegment candidates;
	private final MemorySegment array;
	private final boolean[] allowed;

	ConstrainedSampling(Llama api, int vocabSize) {
		this.api = api;
		this.vocabSize = vocabSize;
		Arena arena = Arena.ofAuto();
		candidates = arena.allocate(ENTRY * vocabSize, 8);
		array = arena.allocate(Llama.TOKEN_DATA_ARRAY);
		allowed = new boolean[vocabSize];
	}

	/** The token drawn from the step's logits among those the constraint allows; -1 when it allows none. */
	int sample(MemorySegment constraint, MemorySegment pick, MemorySegment logitsPointer) {
		MemorySegment logits = logitsPointer.reinterpret(4L * vocabSize);
		for (int t = 0; t < vocabSize; t++) {
			long at = t * ENTRY;
			candidates.set(ValueLayout.JAVA_INT, at, t);
			candidates.set(ValueLayout.JAVA_FLOAT, at + LOGIT, logits.getAtIndex(ValueLayout.JAVA_FLOAT, t));
			candidates.set(ValueLayout.JAVA_FLOAT, at + P, 0f);
		}
		reset(candidates, vocabSize);
		api.apply(constraint, array);
		MemorySegment data = data();
		int n = size();
		Arrays.fill(allowed, false);
		int best = -1;
		float bestLogit = Float.NEGATIVE_INFINITY;
		for (int i = 0; i < n; i++) {
			int id = data.get(ValueLayout.JAVA_INT, i * ENTRY);
			float logit = data.get(ValueLayout.JAVA_FLOAT, i * ENTRY + LOGIT);
			if (id >= 0 && id < vocabSize && logit > Float.NEGATIVE_INFINITY) { // NaN is not allowed either
				allowed[id] = true;
				if (best < 0 || logit > bestLogit) {
					best = id;
					bestLogit = logit;
				}
			}
		}
		if (best < 0) {
			return -1;
		}
		api.apply(pick, array);
		long selected = (long) Llama.get(array, Llama.TOKEN_DATA_ARRAY, "selected");
		int token = selected >= 0 && selected < size()
				? data().get(ValueLayout.JAVA_INT, selected * ENTRY) : -1;
		if (token < 0 || token >= vocabSize || !allowed[token]) {
			// the draw went astray (every probability zero or NaN after the temperature): the most likely allowed one
			token = best;
		}
		api.accept(constraint, token);
		api.accept(pick, token);
		return token;
	}

	private void reset(MemorySegment data, long size) {
		Llama.set(array, Llama.TOKEN_DATA_ARRAY, "data", data);
		Llama.set(array, Llama.TOKEN_DATA_ARRAY, "size", size);
		Llama.set(array, Llama.TOKEN_DATA_ARRAY, "selected", -1L);
		Llama.set(array, Llama.TOKEN_DATA_ARRAY, "sorted", false);
	}

	/** The candidates as the samplers left them (they may point the array at other memory). */
	private MemorySegment data() {
		return ((MemorySegment) Llama.get(array, Llama.TOKEN_DATA_ARRAY, "data")).reinterpret(ENTRY * size());
	}

	private int size() {
		return (int) (long) Llama.get(array, Llama.TOKEN_DATA_ARRAY, "size");
	}
}
