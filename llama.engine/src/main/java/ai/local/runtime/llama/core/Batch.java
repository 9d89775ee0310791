package ai.local.runtime.llama.core;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import ai.local.runtime.llama.ffm.Structs;

/** A struct llama_batch whose arrays live in a Java arena; one sequence id per token. Used by one thread. */
final class Batch implements AutoCloseable {
	private final Arena arena = Arena.ofShared();
	private final MemorySegment struct, token, pos, seqId, logits;
	final int capacity;
	int size;

	Batch(int capacity) {
		this.capacity = capacity;
		struct = arena.allocate(Structs.BATCH);
		token = arena.allocate(JAVA_INT, capacity);
		pos = arena.allocate(JAVA_INT, capacity);
		MemorySegment nSeqId = arena.allocate(JAVA_INT, capacity);
		seqId = arena.allocate(JAVA_INT, capacity);
		MemorySegment seqIdPtrs = arena.allocate(ADDRESS, capacity);
		logits = arena.allocate(JAVA_BYTE, capacity);
		for (int i = 0; i < capacity; i++) {
			seqIdPtrs.setAtIndex(ADDRESS, i, seqId.asSlice(4L * i, 4));
			nSeqId.setAtIndex(JAVA_INT, i, 1);
		}
		Structs.set(struct, Structs.BATCH, "token", token);
		Structs.set(struct, Structs.BATCH, "embd", MemorySegment.NULL);
		Structs.set(struct, Structs.BATCH, "pos", pos);
		Structs.set(struct, Structs.BATCH, "n_seq_id", nSeqId);
		Structs.set(struct, Structs.BATCH, "seq_id", seqIdPtrs);
		Structs.set(struct, Structs.BATCH, "logits", logits);
	}

	Batch clear() {
		size = 0;
		return this;
	}

	boolean full() {
		return size == capacity;
	}

	/** Adds a token at position {@code p} of sequence {@code seq}; returns its index in the batch. */
	int add(int tok, int p, int seq, boolean output) {
		if (size == capacity) {
			throw new IllegalStateException("batch full"); // llama_decode would abort the process on more than n_batch
		}
		token.setAtIndex(JAVA_INT, size, tok);
		pos.setAtIndex(JAVA_INT, size, p);
		seqId.setAtIndex(JAVA_INT, size, seq);
		logits.set(JAVA_BYTE, size, (byte) (output ? 1 : 0));
		return size++;
	}

	/** The struct, passed by value to llama_decode. */
	MemorySegment struct() {
		struct.set(JAVA_INT, 0, size);
		return struct;
	}

	@Override
	public void close() {
		arena.close();
	}
}
