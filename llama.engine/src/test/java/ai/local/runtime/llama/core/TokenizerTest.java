package ai.local.runtime.llama.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import ai.local.runtime.llama.ffm.Llama;
import ai.local.runtime.llama.ffm.Structs;
import ai.local.runtime.llama.ffm.NativeLlama;

/**
 * Tokenization through the binding against llama.cpp's own test data: every {@code models/ggml-vocab-*.gguf} of
 * the pinned source that has {@code .inp} texts and {@code .out} expected ids, tokenized as llama.cpp's
 * test-tokenizer-0 does (no special tokens added or parsed).
 */
class TokenizerTest {

	@Test
	void everyVocabularyGivesLlamaCppsExpectedIds() throws Exception {
		Path models = Path.of(System.getProperty("llama.src")).resolve("models");
		List<Path> vocabs;
		try (Stream<Path> s = Files.list(models)) {
			vocabs = s.filter(p -> p.getFileName().toString().matches("ggml-vocab-.*\\.gguf"))
					.filter(p -> Files.exists(Path.of(p + ".inp")) && Files.exists(Path.of(p + ".out"))).sorted().toList();
		}
		assertTrue(vocabs.size() >= 15, "vocabularies with test data: " + vocabs);
		NativeLlama natives = Natives.get();
		Llama api = natives.api;
		int texts = 0;
		for (Path vocabFile : vocabs) {
			String[] inputs = Files.readString(Path.of(vocabFile + ".inp")).split("\n__ggml_vocab_test__\n", -1);
			List<String> expected = Files.readAllLines(Path.of(vocabFile + ".out"));
			MemorySegment model;
			try (Arena a = Arena.ofConfined()) {
				MemorySegment mp = (MemorySegment) api.invoke(api.llama_model_default_params, a);
				Structs.set(mp, Structs.MODEL_PARAMS, "vocab_only", true);
				model = api.ptr(api.llama_model_load_from_file, a.allocateFrom(vocabFile.toString()), mp);
			}
			assertTrue(!model.equals(MemorySegment.NULL), "loads " + vocabFile);
			try {
				MemorySegment vocab = api.ptr(api.llama_model_get_vocab, model);
				for (int i = 0; i < expected.size(); i++) {
					String line = expected.get(i).trim();
					int[] want = line.isEmpty() ? new int[0] : Arrays.stream(line.split("\\s+")).mapToInt(Integer::parseInt).toArray();
					int[] got = api.tokenize(vocab, inputs[i], false, false);
					assertArrayEquals(want, got, vocabFile.getFileName() + " text " + i + ": " + inputs[i]);
					texts++;
				}
			} finally {
				api.invoke(api.llama_model_free, model);
			}
		}
		assertTrue(texts > 600, texts + " texts");
		System.out.println("tokenizer: " + texts + " texts of " + vocabs.size() + " vocabularies give llama.cpp's ids");
		assertEquals(0, 0);
	}
}
