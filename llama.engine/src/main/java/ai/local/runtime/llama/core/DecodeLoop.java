package ai.local.runtime.llama.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.llama.ffm.Llama;
import ai.local.runtime.llamacpp.engine.Logprob;

/**
 * The one thread that uses a model's context: every step it puts one token of each generating sequence and as
 * much of the waiting prompts as fits into one batch of at most n_batch tokens (continuous batching), decodes it,
 * and samples each sequence whose logits came out. A new sequence first drops what its slot's KV cache holds
 * beyond the longest common prefix with its prompt, so only the new suffix is decoded.
 */
final class DecodeLoop implements Runnable {
	private static final Logger LOG = LoggerFactory.getLogger(DecodeLoop.class);
	/**
	 * Prompt tokens of a sequence that wants their log-probabilities, at most, in one step: each has its logits
	 * output, and llama.cpp keeps an output buffer of (outputs × vocabulary) floats, ~39 MB at 64 × 152k. Beside
	 * other sequences a quarter of that, so that their next tokens do not wait for many log-softmaxes in Java.
	 */
	private static final int SCORED_CHUNK = 64;
	private static final int SCORED_CHUNK_SHARED = 16;

	private final FfmModel model;
	private final Llama api;
	private final BlockingQueue<Sequence> incoming = new LinkedBlockingQueue<>();
	private final List<Sequence> active = new ArrayList<>();
	/** The sequences with a token in this step's batch (reused: one step per token). */
	private final List<Sequence> inBatch = new ArrayList<>();
	/** The tokens each slot's KV cache holds, positions 0..n-1. */
	private final int[][] cached;
	private final int[] cachedLength;
	private final Batch batch;
	private final MemorySegment pieceBuffer;
	private volatile boolean closing;

	DecodeLoop(FfmModel model, int slots, int nBatch) {
		this.model = model;
		this.api = model.api;
		this.cached = new int[slots][];
		this.cachedLength = new int[slots];
		this.batch = new Batch(nBatch);
		this.pieceBuffer = model.scratch.allocate(256);
	}

	void submit(Sequence s) {
		if (!closing) {
			incoming.add(s);
			// closing after the check, the loop may have drained the queue for the last time: take it back then
			if (!closing || !incoming.remove(s)) {
				return;
			}
		}
		s.fail("the model is being unloaded");
		freeChain(s);
	}

	void close() {
		closing = true;
	}

	@Override
	public void run() {
		try {
			while (!closing) {
				Sequence s = active.isEmpty() ? incoming.poll(200, TimeUnit.MILLISECONDS) : incoming.poll();
				for (; s != null; s = incoming.poll()) {
					start(s);
				}
				active.removeIf(q -> {
					if (q.cancelled() && !q.finished) {
						q.end(false);
					}
					if (q.finished) {
						freeChain(q);
					}
					return q.finished;
				});
				if (!active.isEmpty()) {
					step();
				}
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		} catch (RuntimeException | Error e) {
			LOG.error("decode loop of '{}' failed", model.name(), e);
		} finally {
			closing = true;
			for (Sequence q : active) {
				q.fail("the model was unloaded");
				freeChain(q);
			}
			active.clear();
			for (Sequence q; (q = incoming.poll()) != null;) {
				q.fail("the model was unloaded");
				freeChain(q);
			}
			batch.close();
		}
	}

	private void start(Sequence s) {
		int[] prompt = s.spec.prompt();
		int slot = s.slot;
		int common = 0;
		boolean scored = s.spec.promptLogprobs() >= 0; // every prompt token's logits: none may come from the cache
		if (s.spec.reuseCache() && !scored && cached[slot] != null) {
			int n = Math.min(cachedLength[slot], prompt.length - 1); // the last prompt token is decoded for its logits
			while (common < n && cached[slot][common] == prompt[common]) {
				common++;
			}
		}
		if (!(boolean) api.invoke(api.llama_memory_seq_rm, model.memory, slot, common, -1)) {
			// recurrent state cannot be cut in the middle: start the slot over
			api.invoke(api.llama_memory_seq_rm, model.memory, slot, 0, -1);
			common = 0;
		}
		if (cached[slot] == null || cached[slot].length < prompt.length + s.maxTokens) {
			cached[slot] = Arrays.copyOf(cached[slot] == null ? new int[0] : cached[slot], prompt.length + s.maxTokens + 1);
		}
		cachedLength[slot] = common;
		if (scored) {
			s.promptSoFar = new ArrayList<>(prompt.length);
			s.promptSoFar.add(new Logprob(prompt[0], piece(s, prompt[0]), Float.NaN, List.of()));
		}
		s.started(common);
		s.promptAt = common;
		s.pos = common;
		active.add(s);
	}

	private void step() {
		batch.clear();
		inBatch.clear();
		for (Sequence s : active) {
			s.outputIndex = -1;
			s.chunkLength = 0;
			if (!s.prompting() && s.next >= 0) {
				s.outputIndex = batch.add(s.next, s.pos, s.slot, true);
				record(s, s.next);
				inBatch.add(s);
			}
		}
		for (Sequence s : active) {
			int[] prompt = s.spec.prompt();
			boolean scored = s.promptSoFar != null;
			int chunk = scored ? (active.size() > 1 ? SCORED_CHUNK_SHARED : SCORED_CHUNK) : Integer.MAX_VALUE;
			while (s.prompting() && !batch.full() && s.chunkLength < chunk) {
				int t = prompt[s.promptAt++];
				int i = batch.add(t, s.pos, s.slot, scored || !s.prompting());
				record(s, t);
				if (s.chunkLength++ == 0) {
					s.chunkIndex = i; // a sequence's prompt tokens are consecutive in the batch
					s.chunkFrom = s.promptAt - 1;
				}
				if (!s.prompting()) {
					s.outputIndex = i;
				}
			}
			if (s.chunkLength > 0) {
				inBatch.add(s);
			}
		}
		int rc = api.decode(model.context, batch.struct());
		if (rc != 0) {
			String why = switch (rc) {
			case 1 -> "the slot's KV cache is full";
			case 2 -> "decoding was stopped";
			default -> "llama_decode failed (" + rc + ")";
			};
			for (Sequence s : inBatch) {
				s.fail(why);
				// what the failed batch left in the cache is unknown: forget the slot's tokens
				cachedLength[s.slot] = 0;
				api.invoke(api.llama_memory_seq_rm, model.memory, s.slot, 0, -1);
			}
			return;
		}
		for (Sequence s : inBatch) {
			if (s.promptSoFar != null && s.chunkLength > 0 && !s.finished) {
				score(s);
			}
			if (s.outputIndex < 0 || s.finished) {
				continue;
			}
			if (s.cancelled()) {
				s.end(false);
				continue;
			}
			if (s.maxTokens == 0) { // only the prompt was asked for
				s.end(true);
				continue;
			}
			int token = s.constraint == null ? api.sample(s.chain, model.context, s.outputIndex)
					: model.constrained.sample(s.constraint, s.chain, api.logits(model.context, s.outputIndex));
			if (token == -1 && s.constraint != null) {
				// the grammar allows no token: its end was reached with the end of generation banned, or a logit
				// bias banned all it allows
				s.end(false);
				continue;
			}
			if (token < 0 || token >= model.vocabSize) {
				s.fail("the sampler returned token " + token + ", outside the vocabulary");
				continue;
			}
			if (api.isEog(model.vocab, token)) {
				s.end(false);
				continue;
			}
			if (s.spec.logprobs() >= 0) {
				s.logprob(Logprobs.of(api.logits(model.context, s.outputIndex), model.vocabSize, token, s.spec.logprobs(),
						t -> piece(s, t)));
			}
			s.emit(piece(s, token));
			if (s.tokens() >= s.maxTokens) {
				s.end(true);
			} else {
				s.next = token;
			}
		}
	}

	/**
	 * The log-probability of each prompt token of this step's chunk that has a successor, given what precedes it.
	 * The log-softmax over the vocabulary is the costly part: it runs on all cores while the model waits anyway.
	 */
	private void score(Sequence s) {
		int[] prompt = s.spec.prompt();
		int top = s.spec.promptLogprobs();
		int n = Math.min(s.chunkLength, prompt.length - 1 - s.chunkFrom);
		MemorySegment[] rows = new MemorySegment[Math.max(0, n)];
		for (int k = 0; k < rows.length; k++) {
			rows[k] = api.logits(model.context, s.chunkIndex + k);
		}
		List<Logprobs.Scored> scored = IntStream.range(0, rows.length).parallel()
				.mapToObj(k -> Logprobs.score(rows[k], model.vocabSize, prompt[s.chunkFrom + k + 1], top)).toList();
		for (Logprobs.Scored one : scored) {
			s.promptSoFar.add(one.with(t -> piece(s, t)));
		}
		if (!s.prompting()) {
			s.promptRead();
		}
	}

	private byte[] piece(Sequence s, int token) {
		return api.piece(model.vocab, token, pieceBuffer, s.spec.specialPieces());
	}

	/** A token goes into the slot's KV cache at the sequence's position. */
	private void record(Sequence s, int token) {
		int[] c = cached[s.slot];
		if (s.pos < c.length) {
			c[s.pos] = token;
			cachedLength[s.slot] = s.pos + 1;
		}
		s.pos++;
	}

	private void freeChain(Sequence s) {
		if (s.chain != null) {
			api.invoke(api.llama_sampler_free, s.chain);
			s.chain = null;
		}
		if (s.constraint != null) {
			api.invoke(api.llama_sampler_free, s.constraint);
			s.constraint = null;
		}
	}
}
