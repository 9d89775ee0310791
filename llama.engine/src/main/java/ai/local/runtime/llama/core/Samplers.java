package ai.local.runtime.llama.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.local.runtime.llama.ffm.Llama;
import ai.local.runtime.llama.ffm.Structs;
import ai.local.runtime.llamacpp.engine.Sampler;

/**
 * Sampler chains in llama-server's order: logit bias, grammar (first, so that it masks before the rest),
 * penalties, top_k, typical_p, top_p, min_p, temperature, then a seeded draw (greedy at temperature 0). With a
 * grammar the chain comes in two parts, the constraint (bias and grammar) and the pick (the rest), so that
 * {@link ConstrainedSampling} can see what the constraint allows before a token is given to the grammar.
 */
final class Samplers {
	private final Llama api;
	private final MemorySegment vocab;
	private final int vocabSize;
	private final int[] endOfGeneration;

	Samplers(Llama api, MemorySegment vocab, int vocabSize, int[] endOfGeneration) {
		this.api = api;
		this.vocab = vocab;
		this.vocabSize = vocabSize;
		this.endOfGeneration = endOfGeneration;
	}

	/**
	 * The sampler chains of a sequence: {@code constraint} is null without a grammar, and {@code pick} is then the
	 * whole chain. The caller frees both with llama_sampler_free.
	 */
	record Chains(MemorySegment constraint, MemorySegment pick) {
	}

	Chains chains(Sampler s, String grammar, int[] grammarTriggers, boolean ignoreEos) {
		MemorySegment first = newChain();
		MemorySegment pick = first;
		try {
			Map<Integer, Float> bias = new LinkedHashMap<>(s.logitBias()); // ids checked by FfmModel.generate
			if (ignoreEos) {
				for (int t : endOfGeneration) {
					bias.put(t, Float.NEGATIVE_INFINITY);
				}
			}
			if (!bias.isEmpty()) {
				add(first, logitBias(bias));
			}
			if (grammar != null) {
				MemorySegment g;
				try (Arena a = Arena.ofConfined()) {
					g = grammarTriggers.length == 0
							? api.ptr(api.llama_sampler_init_grammar, vocab, a.allocateFrom(grammar), a.allocateFrom("root"))
							// trigger tokens, not patterns: a pattern completed inside a token could hand the grammar
							// text it refuses, and llama.cpp throws (aborting the process) where a token cannot
							: api.ptr(api.llama_sampler_init_grammar_lazy_patterns, vocab, a.allocateFrom(grammar),
									a.allocateFrom("root"), MemorySegment.NULL, 0L,
									a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, grammarTriggers),
									(long) grammarTriggers.length);
				}
				if (g.equals(MemorySegment.NULL)) {
					throw new IllegalArgumentException("llama.cpp cannot parse the grammar");
				}
				add(first, g);
				pick = newChain();
			}
			if (s.repeatPenalty() != 1f || s.presencePenalty() != 0f || s.frequencyPenalty() != 0f) {
				add(pick, api.ptr(api.llama_sampler_init_penalties, vocabSize, s.penaltyLastN(), s.repeatPenalty(),
						s.frequencyPenalty(), s.presencePenalty()));
			}
			if (s.temperature() <= 0f) {
				add(pick, api.ptr(api.llama_sampler_init_greedy));
				return chains(first, pick);
			}
			if (s.topK() > 0) {
				add(pick, api.ptr(api.llama_sampler_init_top_k, s.topK()));
			}
			if (s.typicalP() < 1f) {
				add(pick, api.ptr(api.llama_sampler_init_typical, s.typicalP(), 1L));
			}
			if (s.topP() < 1f) {
				add(pick, api.ptr(api.llama_sampler_init_top_p, s.topP(), 1L));
			}
			if (s.minP() > 0f) {
				add(pick, api.ptr(api.llama_sampler_init_min_p, s.minP(), 1L));
			}
			add(pick, api.ptr(api.llama_sampler_init_temp, s.temperature()));
			add(pick, api.ptr(api.llama_sampler_init_dist, s.seed()));
			return chains(first, pick);
		} catch (RuntimeException e) {
			api.invoke(api.llama_sampler_free, first);
			if (pick != first) {
				api.invoke(api.llama_sampler_free, pick);
			}
			throw e;
		}
	}

	private static Chains chains(MemorySegment first, MemorySegment pick) {
		return pick == first ? new Chains(null, pick) : new Chains(first, pick);
	}

	private MemorySegment newChain() {
		try (Arena a = Arena.ofConfined()) {
			return api.ptr(api.llama_sampler_chain_init, api.invoke(api.llama_sampler_chain_default_params, a));
		}
	}

	private MemorySegment logitBias(Map<Integer, Float> bias) {
		try (Arena a = Arena.ofConfined()) {
			MemorySegment arr = a.allocate(Structs.LOGIT_BIAS, bias.size());
			int i = 0;
			for (Map.Entry<Integer, Float> e : bias.entrySet()) {
				MemorySegment b = arr.asSlice(i++ * Structs.LOGIT_BIAS.byteSize(), Structs.LOGIT_BIAS);
				Structs.set(b, Structs.LOGIT_BIAS, "token", (int) e.getKey());
				Structs.set(b, Structs.LOGIT_BIAS, "bias", (float) e.getValue());
			}
			// llama.cpp copies the array
			return api.ptr(api.llama_sampler_init_logit_bias, vocabSize, bias.size(), arr);
		}
	}

	private void add(MemorySegment chain, MemorySegment sampler) {
		api.invoke(api.llama_sampler_chain_add, chain, sampler);
	}
}
