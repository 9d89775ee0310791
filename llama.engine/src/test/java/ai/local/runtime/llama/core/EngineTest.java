package ai.local.runtime.llama.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;
import ai.local.runtime.llamacpp.engine.LoadSpec.FlashAttention;
import ai.local.runtime.llamacpp.engine.LoadSpec.Pooling;
import ai.local.runtime.llamacpp.engine.Logprob;
import ai.local.runtime.llamacpp.engine.Sampler;
import ai.local.runtime.testing.gguf.TinyLlama;

/** The engine on generated GGUF models, outside OSGi: load, tokenize, generate, batch, reuse, grammar, embed. */
class EngineTest {
	private static FfmEngine.Engine engine;
	private static LlamaModelHandle chat;
	private static Path file;

	@BeforeAll
	static void load() throws Exception {
		engine = Natives.engine();
		file = TinyLlama.tiny("engine", 42).write(Path.of(System.getProperty("models.dir"), "engine.gguf"));
		chat = engine.load(spec(file, null));
	}

	@AfterAll
	static void close() {
		if (chat != null) {
			chat.close();
		}
	}

	static LoadSpec spec(Path f, Pooling pooling) {
		return new LoadSpec(f, 2048, 2, 512, 512, 2, 0, true, FlashAttention.AUTO, pooling);
	}

	static Sampler seeded(int seed) {
		return new Sampler(0.8f, 40, 0.95f, 0.05f, 1f, 1f, 64, 0f, 0f, Map.of(), seed);
	}

	static String run(Generation g) throws InterruptedException {
		StringBuilder b = new StringBuilder();
		for (String p; (p = g.next()) != null;) {
			b.append(p);
		}
		return b.toString();
	}

	@Test
	void infoComesFromTheGgufHeader() {
		var info = chat.info();
		assertEquals("llama", info.architecture());
		assertEquals("engine", info.name());
		assertEquals("F32", info.quantization());
		assertEquals(4096, info.trainedContext());
		assertEquals(1024, info.servedContext());
		assertEquals(64, info.embeddingLength());
		assertTrue(info.chatTemplate().contains("<|im_start|>"));
		assertEquals("<|im_end|>", info.eosToken());
	}

	@Test
	void tokenizesSpecialsOnlyInPrompts() {
		int[] prompt = chat.tokenize("<|im_start|>user\nhi<|im_end|>\n", true);
		int[] text = chat.tokenize("<|im_start|>user\nhi<|im_end|>\n", false);
		assertTrue(prompt.length < text.length, prompt.length + " vs " + text.length);
		assertEquals("<|im_start|>user\nhi<|im_end|>\n", chat.detokenize(prompt));
		assertThrows(IllegalArgumentException.class, () -> chat.detokenize(new int[] { 1 << 20 }));
	}

	@Test
	void sameSeedSameTextAndTokensCounted() throws Exception {
		int[] prompt = chat.tokenize("<|im_start|>user\nWrite something<|im_end|>\n<|im_start|>assistant\n", true);
		Generation a = chat.generate(new GenerateSpec(prompt, 30, 0, false, seeded(7), null, true));
		String first = run(a);
		assertEquals(30, a.tokens());
		assertTrue(a.hitLimit());
		Generation b = chat.generate(new GenerateSpec(prompt, 30, 0, false, seeded(7), null, true));
		assertEquals(first, run(b));
		Generation c = chat.generate(new GenerateSpec(prompt, 30, 1, false, seeded(8), null, true));
		assertNotEquals(first, run(c));
	}

	@Test
	void greedyTokensAreTheMostLikelyAndTheirLogprobsSayHowLikely() throws Exception {
		int[] prompt = chat.tokenize("<|im_start|>user\nWrite<|im_end|>\n<|im_start|>assistant\n", true);
		Generation g = chat.generate(new GenerateSpec(prompt, 12, 0, false, Sampler.greedy(), null, true, false,
				new int[0], 5));
		StringBuilder text = new StringBuilder();
		List<Logprob> all = new ArrayList<>();
		for (String p; (p = g.next()) != null;) {
			text.append(p);
			all.addAll(g.logprobs());
		}
		all.addAll(g.logprobs());
		assertEquals(12, all.size(), "one entry a generated token");
		StringBuilder bytes = new StringBuilder();
		for (Logprob l : all) {
			assertEquals(5, l.top().size());
			assertEquals(l.token(), l.top().get(0).token(), "greedy takes the most likely token");
			assertEquals(l.logprob(), l.top().get(0).logprob(), 0f);
			double mass = 0;
			for (int i = 0; i < 5; i++) {
				assertTrue(l.top().get(i).logprob() <= 0);
				assertTrue(i == 0 || l.top().get(i).logprob() <= l.top().get(i - 1).logprob(), "most likely first");
				mass += Math.exp(l.top().get(i).logprob());
			}
			assertTrue(mass <= 1.0001, "probabilities: " + mass);
			bytes.append(new String(l.bytes(), java.nio.charset.StandardCharsets.UTF_8));
		}
		assertEquals(text.toString(), bytes.toString(), "the entries' bytes are the text");
		Generation none = chat.generate(new GenerateSpec(prompt, 3, 0, false, Sampler.greedy(), null, true));
		run(none);
		assertTrue(none.logprobs().isEmpty());
		assertThrows(IllegalArgumentException.class, () -> new GenerateSpec(prompt, 3, 0, false, Sampler.greedy(), null,
				true, false, new int[0], 21));
	}

	/**
	 * A prompt scored token by token (in chunks over several steps, beside another slot's generation) gives each
	 * token the log-probability the model gave it when it generated that token itself.
	 */
	@Test
	void aScoredPromptAgreesWithTheGenerationThatWroteIt() throws Exception {
		int[] prompt = chat.tokenize("<|im_start|>user\n" + "Tell me more about the river. ".repeat(12)
				+ "<|im_end|>\n<|im_start|>assistant\n", true);
		assertTrue(prompt.length > 64, "more than one scored chunk: " + prompt.length);
		Generation writer = chat.generate(new GenerateSpec(prompt, 10, 0, false, Sampler.greedy(), null, true, false,
				new int[0], 0));
		List<Logprob> written = new ArrayList<>();
		for (String p; (p = writer.next()) != null;) {
			written.addAll(writer.logprobs());
		}
		written.addAll(writer.logprobs());
		int[] whole = java.util.Arrays.copyOf(prompt, prompt.length + written.size());
		for (int i = 0; i < written.size(); i++) {
			whole[prompt.length + i] = written.get(i).token();
		}

		Generation other = chat.generate(new GenerateSpec(prompt, 200, 1, false, Sampler.greedy(), null, true));
		Generation scored = chat.generate(new GenerateSpec(whole, 0, 0, true, Sampler.greedy(), null, true, false,
				new int[0], -1, 2));
		assertEquals(null, scored.next(), "max tokens 0: the prompt is only read");
		assertEquals(0, scored.tokens());
		assertEquals(0, scored.reusedTokens(), "every token's logits: nothing comes from the cache");
		List<Logprob> entries = scored.promptLogprobs();
		assertEquals(whole.length, entries.size());
		assertTrue(Float.isNaN(entries.get(0).logprob()) && entries.get(0).top().isEmpty());
		for (int i = 0; i < whole.length; i++) {
			assertEquals(whole[i], entries.get(i).token());
			assertTrue(i == 0 || entries.get(i).top().size() == 2);
		}
		for (int i = 0; i < written.size(); i++) {
			assertEquals(written.get(i).logprob(), entries.get(prompt.length + i).logprob(), 1e-2, "token " + i);
		}
		other.cancel();
		run(other);
		assertTrue(run(chat.generate(new GenerateSpec(prompt, 3, 0, false, Sampler.greedy(), null, true))).length() > 0);
	}

	@Test
	void twoSlotsDecodeTogetherAndAgreeWithAlone() throws Exception {
		int[] p0 = chat.tokenize("<|im_start|>user\nOne<|im_end|>\n<|im_start|>assistant\n", true);
		int[] p1 = chat.tokenize("<|im_start|>user\nTwo things<|im_end|>\n<|im_start|>assistant\n", true);
		String alone = run(chat.generate(new GenerateSpec(p0, 20, 0, false, Sampler.greedy(), null, true)));
		Generation g0 = chat.generate(new GenerateSpec(p0, 20, 0, false, Sampler.greedy(), null, true));
		Generation g1 = chat.generate(new GenerateSpec(p1, 20, 1, false, Sampler.greedy(), null, true));
		assertEquals(alone, run(g0));
		assertEquals(20, run(g1).isEmpty() ? 0 : g1.tokens());
	}

	@Test
	void theSlotsCachedPrefixIsReused() throws Exception {
		String turn1 = "<|im_start|>system\nYou are terse and write long answers about many things.<|im_end|>\n"
				+ "<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n";
		int[] p1 = chat.tokenize(turn1, true);
		Generation g = chat.generate(new GenerateSpec(p1, 8, 1, true, Sampler.greedy(), null, true));
		run(g);
		int[] p2 = chat.tokenize(turn1 + "abc<|im_end|>\n<|im_start|>user\nMore<|im_end|>\n<|im_start|>assistant\n", true);
		Generation h = chat.generate(new GenerateSpec(p2, 4, 1, true, Sampler.greedy(), null, true));
		run(h);
		assertTrue(h.reusedTokens() >= p1.length, h.reusedTokens() + " of " + p1.length);
		Generation cold = chat.generate(new GenerateSpec(p2, 4, 1, false, Sampler.greedy(), null, true));
		run(cold);
		assertEquals(0, cold.reusedTokens());
	}

	@Test
	void grammarHoldsTheOutput() throws Exception {
		String grammar = engine.grammarOf("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"},\"ok\":{\"type\":\"boolean\"}},\"required\":[\"n\",\"ok\"]}");
		int[] prompt = chat.tokenize("<|im_start|>user\nJSON<|im_end|>\n<|im_start|>assistant\n", true);
		for (int seed = 0; seed < 5; seed++) {
			Generation g = chat.generate(new GenerateSpec(prompt, 200, 0, false,
					new Sampler(1.2f, 0, 1f, 0f, 1f, 1f, 64, 0f, 0f, Map.of(), seed), grammar, false));
			String out = run(g);
			var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
			assertTrue(node.get("n").isIntegralNumber() && node.get("ok").isBoolean(), out);
		}
	}

	/**
	 * llama.cpp aborts the process when its grammar is handed a token it does not allow, and its one-call sampling
	 * does that whenever the grammar allows none: at the grammar's end with the end of generation banned
	 * (ignore_eos), or with every token it allows banned by a logit bias. The generation ends there instead.
	 */
	@Test
	void aGrammarThatAllowsNoTokenEndsTheGenerationInsteadOfAbortingTheProcess() throws Exception {
		String grammar = engine.grammarOf("{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"],\"additionalProperties\":false}");
		int[] prompt = chat.tokenize("<|im_start|>user\nJSON<|im_end|>\n<|im_start|>assistant\n", true);
		for (int seed = 0; seed < 3; seed++) {
			Generation g = chat.generate(new GenerateSpec(prompt, 200, 0, false, seeded(seed), grammar, true));
			String out = run(g);
			assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).get("ok").isBoolean(), out);
			assertFalse(g.hitLimit(), "the grammar's end ends it, though the end of generation is banned: " + g.tokens());
		}
		Map<Integer, Float> everything = new java.util.HashMap<>();
		for (int t = 0; t < chat.info().vocabularySize(); t++) {
			everything.put(t, Float.NEGATIVE_INFINITY);
		}
		Generation none = chat.generate(new GenerateSpec(prompt, 20, 0, false,
				new Sampler(0.8f, 40, 0.95f, 0.05f, 1f, 1f, 64, 0f, 0f, everything, 1), grammar, false));
		assertEquals("", run(none));
		assertEquals(0, none.tokens());
		Generation greedy = chat.generate(new GenerateSpec(prompt, 20, 0, false,
				new Sampler(0f, 0, 1f, 0f, 1f, 1f, 64, 0f, 0f, everything, 1), grammar, false));
		assertEquals("", run(greedy));
		// the same model still generates
		assertFalse(run(chat.generate(new GenerateSpec(prompt, 5, 0, false, seeded(1), grammar, false))).isEmpty());
	}

	@Test
	void aLazyGrammarHoldsFromItsTriggerToken() throws Exception {
		int[] prompt = chat.tokenize("<|im_start|>user\nGo<|im_end|>\n<|im_start|>assistant\n", true);
		int trigger = chat.tokenize("<|im_start|>", true)[0];
		String grammar = "root ::= \"<|im_start|>\" \" yes\"";
		for (int seed = 0; seed < 3; seed++) {
			// the bias makes the model write the trigger at once; from there on the grammar holds: " yes", then the end
			Sampler biased = new Sampler(1f, 0, 1f, 0f, 1f, 1f, 64, 0f, 0f, Map.of(trigger, 100f), seed);
			String out = run(chat.generate(new GenerateSpec(prompt, 50, 0, false, biased, grammar, false, true,
					new int[] { trigger })));
			assertEquals("<|im_start|> yes", out);
			// without the trigger the output is free: text the grammar would refuse
			Sampler free = new Sampler(1f, 0, 1f, 0f, 1f, 1f, 64, 0f, 0f, Map.of(), seed);
			String plain = run(chat.generate(new GenerateSpec(prompt, 8, 0, false, free, grammar, true, true,
					new int[] { trigger })));
			assertFalse(plain.isEmpty() || plain.startsWith("<|im_start|>"), plain);
		}
		assertThrows(IllegalArgumentException.class, () -> chat.generate(new GenerateSpec(prompt, 2, 0, false,
				Sampler.greedy(), grammar, false, true, new int[] { -3 })), "a trigger outside the vocabulary is refused");
	}

	@Test
	void devicesReportTheirMemory() {
		var devices = engine.deviceMemory();
		assertFalse(devices.isEmpty());
		var cpu = devices.stream().filter(d -> d.name().startsWith("CPU")).findFirst().orElseThrow();
		assertFalse(cpu.gpu());
		assertTrue(cpu.total() > 0 && cpu.free() > 0 && cpu.free() <= cpu.total(), cpu.toString());
	}

	@Test
	void cancelEndsTheGeneration() throws Exception {
		int[] prompt = chat.tokenize("<|im_start|>user\nGo<|im_end|>\n<|im_start|>assistant\n", true);
		Generation g = chat.generate(new GenerateSpec(prompt, 500, 0, false, Sampler.greedy(), null, true));
		g.next();
		g.cancel();
		List<String> rest = new ArrayList<>();
		for (String p; (p = g.next()) != null;) {
			rest.add(p);
		}
		assertTrue(g.tokens() < 500, "stopped after " + g.tokens());
		assertFalse(g.hitLimit());
	}

	@Test
	void badRequestsAreRefusedBeforeLlamaCpp() {
		assertThrows(IllegalArgumentException.class,
				() -> chat.generate(new GenerateSpec(new int[] { 5, 1 << 20 }, 4, 0, true, Sampler.greedy(), null, false)));
		assertThrows(IllegalArgumentException.class,
				() -> chat.generate(new GenerateSpec(new int[] { 5 }, 4, 7, true, Sampler.greedy(), null, false)));
		// a grammar llama.cpp cannot parse is refused by generate, not found out later by the decode loop
		assertThrows(IllegalArgumentException.class,
				() -> chat.generate(new GenerateSpec(new int[] { 5 }, 4, 0, false, Sampler.greedy(), "root ::= (", false)));
		assertThrows(IllegalArgumentException.class, () -> engine.load(spec(Path.of("target/nope.gguf"), null)));
	}

	@Test
	void embeddingsPoolMeanClsAndLast() throws Exception {
		for (Pooling p : List.of(Pooling.MEAN, Pooling.CLS, Pooling.LAST)) {
			try (LlamaModelHandle m = engine.load(spec(file, p))) {
				int[] t = m.tokenize("some text to embed", true);
				float[] a = m.embed(t);
				assertEquals(64, a.length);
				assertArrayEquals(a, m.embed(t), 0f, p + " is deterministic");
				assertTrue(Math.abs(a[1]) + Math.abs(a[2]) > 0, p.name());
			}
		}
	}

	@Test
	void aQwen3ModelLoadsAndGenerates() throws Exception {
		Path q = TinyLlama.qwen3("q3", 9).write(Path.of(System.getProperty("models.dir"), "qwen3.gguf"));
		try (LlamaModelHandle m = engine.load(spec(q, null))) {
			assertEquals("qwen3", m.info().architecture());
			int[] prompt = m.tokenize("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", true);
			Generation g = m.generate(new GenerateSpec(prompt, 16, 0, true, Sampler.greedy(), null, true));
			assertFalse(run(g).isEmpty());
			assertEquals(16, g.tokens());
		}
	}

	@Test
	void unloadingFreesTheMemory() throws Exception {
		Path big = TinyLlama.bench("rss", 3).write(Path.of(System.getProperty("models.dir"), "rss.gguf"));
		long afterWarmUp = 0;
		for (int cycle = 1; cycle <= 10; cycle++) {
			try (LlamaModelHandle m = engine.load(spec(big, null))) {
				int[] prompt = m.tokenize("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", true);
				run(m.generate(new GenerateSpec(prompt, 4, 0, false, Sampler.greedy(), null, true)));
			}
			if (cycle == 3) {
				afterWarmUp = rssMb();
			}
		}
		long growth = rssMb() - afterWarmUp;
		// the model is 55 MB: a leak of it (java-llama.cpp 4.2.0 kept ~170 MB per cycle) would show 7 times over
		assertTrue(growth < 40, "RSS grew by " + growth + " MB over 7 load/unload cycles");
	}

	private static long rssMb() throws Exception {
		System.gc();
		for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
			}
		}
		throw new IllegalStateException("no VmRSS");
	}

	@Test
	void logitBiasAndPenaltiesShapeTheDraw() throws Exception {
		int[] prompt = chat.tokenize("<|im_start|>user\nSay x<|im_end|>\n<|im_start|>assistant\n", true);
		int x = chat.tokenize("x", false)[0];
		Sampler forced = new Sampler(0.8f, 40, 0.95f, 0.05f, 1f, 1f, 64, 0f, 0f, Map.of(x, 100f), 5);
		Generation g = chat.generate(new GenerateSpec(prompt, 6, 0, false, forced, null, true));
		assertEquals("xxxxxx", run(g));
		// the same bias against a huge repeat penalty: x once, then the penalty outweighs it
		Sampler penalised = new Sampler(0f, 0, 1f, 0f, 1f, 1000f, 64, 0f, 0f, Map.of(x, 20f), 5);
		String out = run(chat.generate(new GenerateSpec(prompt, 6, 0, false, penalised, null, true)));
		assertTrue(out.startsWith("x") && !out.startsWith("xx"), out);
		assertThrows(IllegalArgumentException.class, () -> chat.generate(new GenerateSpec(prompt, 2, 0, false,
				new Sampler(0.8f, 40, 0.95f, 0.05f, 1f, 1f, 64, 0f, 0f, Map.of(1 << 20, 1f), 5), null, true)),
				"a bias on a token outside the vocabulary is refused before llama.cpp sees it");
	}

	@Test
	void aRerankerScoresWithRankPooling() throws Exception {
		Path r = TinyLlama.qwen3Reranker("rank", 4).write(Path.of(System.getProperty("models.dir"), "rerank.gguf"));
		try (LlamaModelHandle m = engine.load(spec(r, Pooling.RANK))) {
			float[] a = m.embed(m.tokenize("query: weather? document: it rains", true));
			float[] b = m.embed(m.tokenize("query: weather? document: pasta recipes", true));
			assertEquals(2, a.length, "P(yes) and P(no)");
			assertEquals(1.0, a[0] + a[1], 1e-5);
			assertEquals(a[0], m.embed(m.tokenize("query: weather? document: it rains", true))[0], 0f);
			assertNotEquals(a[0], b[0]);
		}
	}
}
