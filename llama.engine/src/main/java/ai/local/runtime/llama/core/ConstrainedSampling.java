package ai.local.runtime.llama.core;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import ai.local.runtime.llama.ffm.Llama;
import ai.local.runtime.llama.ffm.Structs;

/**
 * Sampling under a grammar without the ways it aborts the process. llama.cpp's one-call sampling hands the grammar
 * whatever token the draw picked, and the grammar aborts on a token it does not allow; when it allows none (its end
 * reached while the end of generation is banned, as with ignore_eos, or every token it allows banned by a logit
 * bias), the draw picks one anyway. Here the chain runs in two parts on candidates filled from the logits: the
 * constraint (bias and grammar, which set what they refuse to -infinity), then the rest, which picks; a pick the
 * constraint refused is replaced by the most likely token it allows, and none allowed ends the answer. Only an
 * allowed token reaches the grammar. Used on the decode loop's thread only, for sequences with a grammar; one per
 * model, its buffers sized to the vocabulary (filling them takes about 0.2 ms a token for a 150k vocabulary on
 * the CI machine, where llama.cpp's one-call sampling fills its own copy too).
 */
final class ConstrainedSampling {
	private static final long ENTRY = Structs.TOKEN_DATA.byteSize();
	private static final long LOGIT = Structs.TOKEN_DATA.byteOffset(groupElement("logit"));
	// llama_token_data_array's members, read and written every token
	private static final long DATA = Structs.TOKEN_DATA_ARRAY.byteOffset(groupElement("data"));
	private static final long SIZE = Structs.TOKEN_DATA_ARRAY.byteOffset(groupElement("size"));
	private static final long SELECTED = Structs.TOKEN_DATA_ARRAY.byteOffset(groupElement("selected"));
	private static final long SORTED = Structs.TOKEN_DATA_ARRAY.byteOffset(groupElement("sorted"));

	private final Llama api;
	private final int vocabSize;
	private final MemorySegment candidates;
	private final MemorySegment array;
	private final float[] logits;
	private final int[] entries;

	ConstrainedSampling(Llama api, int vocabSize) {
		if (ENTRY != 12 || LOGIT != 4) {
			throw new IllegalStateException("llama_token_data is not {id, logit, p}");
		}
		this.api = api;
		this.vocabSize = vocabSize;
		Arena arena = Arena.ofAuto();
		candidates = arena.allocate(ENTRY * vocabSize, 8);
		array = arena.allocate(Structs.TOKEN_DATA_ARRAY);
		logits = new float[vocabSize];
		entries = new int[3 * vocabSize];
	}

	/** The token drawn from the step's logits among those the constraint allows; -1 when it allows none. */
	int sample(MemorySegment constraint, MemorySegment pick, MemorySegment logitsPointer) {
		fill(logitsPointer);
		api.apply(constraint, array);
		api.apply(pick, array);
		long selected = array.get(ValueLayout.JAVA_LONG, SELECTED);
		int token = -1;
		if (selected >= 0 && selected < size()) {
			MemorySegment entry = data().asSlice(selected * ENTRY, ENTRY);
			// what the constraint refused stays -infinity through the rest of the chain (NaN is refused as well)
			if (entry.get(ValueLayout.JAVA_FLOAT, LOGIT) > Float.NEGATIVE_INFINITY) {
				token = entry.get(ValueLayout.JAVA_INT, 0);
			}
		}
		if (token < 0 || token >= vocabSize) {
			token = mostLikelyAllowed(constraint, logitsPointer);
			if (token < 0) {
				return -1;
			}
		}
		api.accept(constraint, token);
		api.accept(pick, token);
		return token;
	}

	/** The draw went astray (or nothing is allowed): the constraint alone, then its most likely token, or -1. */
	private int mostLikelyAllowed(MemorySegment constraint, MemorySegment logitsPointer) {
		fill(logitsPointer);
		api.apply(constraint, array);
		MemorySegment data = data();
		int best = -1;
		float bestLogit = Float.NEGATIVE_INFINITY;
		for (int i = 0, n = size(); i < n; i++) {
			float logit = data.get(ValueLayout.JAVA_FLOAT, i * ENTRY + LOGIT);
			if (logit > bestLogit) {
				bestLogit = logit;
				best = data.get(ValueLayout.JAVA_INT, i * ENTRY);
			}
		}
		return best >= 0 && best < vocabSize ? best : -1;
	}

	/** Candidates {id, logit, p = 0} for every token, in one copy. */
	private void fill(MemorySegment logitsPointer) {
		MemorySegment.copy(logitsPointer.reinterpret(4L * vocabSize), ValueLayout.JAVA_FLOAT, 0, logits, 0, vocabSize);
		for (int t = 0; t < vocabSize; t++) {
			entries[3 * t] = t;
			entries[3 * t + 1] = Float.floatToRawIntBits(logits[t]);
			entries[3 * t + 2] = 0;
		}
		MemorySegment.copy(entries, 0, candidates, ValueLayout.JAVA_INT, 0, entries.length);
		array.set(ValueLayout.ADDRESS, DATA, candidates);
		array.set(ValueLayout.JAVA_LONG, SIZE, vocabSize);
		array.set(ValueLayout.JAVA_LONG, SELECTED, -1L);
		array.set(ValueLayout.JAVA_BOOLEAN, SORTED, false);
	}

	/** The candidates as the samplers left them (they may point the array at other memory). */
	private MemorySegment data() {
		return array.get(ValueLayout.ADDRESS, DATA).reinterpret(ENTRY * size());
	}

	private int size() {
		return (int) array.get(ValueLayout.JAVA_LONG, SIZE);
	}
}
