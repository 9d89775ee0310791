package ai.local.runtime.testing.gguf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import ai.local.runtime.testing.gguf.GgufWriter.TensorType;
import ai.local.runtime.testing.gguf.GgufWriter.U32;

/**
 * A model with random weights in the llama architecture, or in qwen3 (llama plus per-head RMS norms of the
 * queries and keys, keys under {@code qwen3.*}): it produces gibberish, but it loads, tokenizes, applies its chat
 * template, samples, streams, embeds and obeys grammars exactly like a real GGUF model of that architecture.
 */
public record TinyLlama(String architecture, String name, int embd, int layers, int heads, int headsKv, int ff,
		int context, int merges, TensorType type, long seed, float endBias, boolean reranker, GgufTokenizer tokenizer,
		String chatTemplate) {

	public TinyLlama(String architecture, String name, int embd, int layers, int heads, int headsKv, int ff,
			int context, int merges, TensorType type, long seed, float endBias, boolean reranker) {
		this(architecture, name, embd, layers, heads, headsKv, ff, context, merges, type, seed, endBias, reranker, null,
				null);
	}

	/**
	 * A model with a real model family's tokenizer (taken from another GGUF, see {@link GgufTokenizer}) and chat
	 * template, random weights: it prompts and tokenizes exactly like that family's GGUFs. {@code architecture}:
	 * llama, qwen2 (with the attention biases Qwen 2 has) or qwen3. F16, 32 wide: ~20 MB for a 150k vocabulary.
	 */
	public static TinyLlama withTokenizer(String architecture, String name, GgufTokenizer tokenizer, String chatTemplate,
			long seed) {
		return new TinyLlama(architecture, name, 32, 2, 4, 2, 64, 4096, 0, TensorType.F16, seed, 0f, false, tokenizer,
				chatTemplate);
	}

	/** ~0.3 MB: loads in milliseconds, for tests. */
	public static TinyLlama tiny(String name, long seed) {
		return new TinyLlama("llama", name, 64, 2, 4, 2, 128, 4096, 200, TensorType.F32, seed, 0f, false);
	}

	/** ~55 MB in F16: large enough that decoding, not overhead, dominates a benchmark. */
	public static TinyLlama bench(String name, long seed) {
		return new TinyLlama("llama", name, 512, 8, 8, 8, 1536, 8192, 300, TensorType.F16, seed, 0f, false);
	}

	/** Like {@link #tiny}, but it ends its turn (<|im_end|>) after a few tokens, as a real model does. */
	public static TinyLlama terse(String name, long seed) {
		return new TinyLlama("llama", name, 64, 2, 4, 2, 128, 4096, 200, TensorType.F32, seed, 1.5f, false);
	}

	/** Like {@link #tiny}, in the qwen3 architecture (which llama.cpp releases before April 2025 cannot load). */
	public static TinyLlama qwen3(String name, long seed) {
		return new TinyLlama("qwen3", name, 64, 2, 4, 2, 128, 4096, 200, TensorType.F32, seed, 0f, false);
	}

	/**
	 * A qwen3 reranker in the shape of Qwen3-Reranker's GGUF: rank pooling over the last token and a classification
	 * head ({@code cls.output}) over the labels "yes" and "no", whose softmax llama.cpp computes.
	 */
	public static TinyLlama qwen3Reranker(String name, long seed) {
		return new TinyLlama("qwen3", name, 64, 2, 4, 2, 128, 4096, 200, TensorType.F32, seed, 0f, true);
	}

	public static final List<String> SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

	/** The rerank prompt llama.cpp's converter writes into Qwen3-Reranker GGUFs ({query} and {document} filled in). */
	public static final String RERANK_TEMPLATE = "<|im_start|>system\nJudge whether the Document meets the requirements "
			+ "based on the Query and the Instruct provided. Note that the answer can only be \"yes\" or \"no\"."
			+ "<|im_end|>\n<|im_start|>user\n<Instruct>: Given a web search query, retrieve relevant passages that "
			+ "answer the query\n<Query>: {query}\n<Document>: {document}<|im_end|>\n<|im_start|>assistant\n"
			+ "<think>\n\n</think>\n\n";

	/** Writes the model to {@code file} (parent directories created) and returns the file. */
	public Path write(Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		ByteLevelBpe bpe = tokenizer == null ? new ByteLevelBpe(merges, SPECIALS) : null;
		String[] tokens = bpe != null ? bpe.tokens.toArray(String[]::new) : tokenizer.tokens();
		int[] types = bpe != null ? bpe.types.stream().mapToInt(Integer::intValue).toArray() : tokenizer.types();
		int vocab = tokens.length;
		int headDim = embd / heads;
		String a = architecture;
		GgufWriter w = new GgufWriter()
				.put("general.architecture", a)
				.put("general.name", name)
				.put("general.file_type", new U32(type == TensorType.F32 ? 0 : 1))
				.put(a + ".context_length", new U32(context))
				.put(a + ".embedding_length", new U32(embd))
				.put(a + ".block_count", new U32(layers))
				.put(a + ".feed_forward_length", new U32(ff))
				.put(a + ".attention.head_count", new U32(heads))
				.put(a + ".attention.head_count_kv", new U32(headsKv))
				.put(a + ".rope.dimension_count", new U32(headDim))
				.put(a + ".attention.layer_norm_rms_epsilon", 1e-5f)
				.put(a + ".vocab_size", new U32(vocab));
		String end;
		if (bpe != null) {
			end = "<|im_end|>";
			w.put("tokenizer.ggml.model", "gpt2")
					.put("tokenizer.ggml.pre", a.equals("qwen3") ? "qwen2" : "default")
					.put("tokenizer.ggml.tokens", tokens)
					.put("tokenizer.ggml.token_type", types)
					.put("tokenizer.ggml.merges", bpe.merges.toArray(String[]::new))
					.put("tokenizer.ggml.bos_token_id", new U32(bpe.id("<|endoftext|>")))
					.put("tokenizer.ggml.eos_token_id", new U32(bpe.id("<|im_end|>")))
					.put("tokenizer.ggml.padding_token_id", new U32(bpe.id("<|endoftext|>")))
					.put("tokenizer.ggml.add_bos_token", false)
					.put("tokenizer.chat_template", chatTemplate != null ? chatTemplate : ChatMlTemplate.TEMPLATE);
		} else {
			end = tokenizer.eos();
			tokenizer.values().forEach(w::put);
			w.put("tokenizer.ggml.eos_token_id", new U32(tokenizer.id(end)))
					.put("tokenizer.ggml.add_bos_token", tokenizer.addBos())
					.put("tokenizer.chat_template", chatTemplate);
		}
		if (reranker) {
			w.put(a + ".pooling_type", new U32(4)).put(a + ".classifier.output_labels", new String[] { "yes", "no" })
					.put("tokenizer.chat_template.rerank", RERANK_TEMPLATE);
		}
		SplittableRandom random = new SplittableRandom(seed);
		// Hidden dimension 0 is a large constant (every embedding has it, norms keep it), so the output weight
		// of a token at dimension 0 acts as a bias: byte tokens that are not printable ASCII get a large negative
		// one and are never sampled. The model then writes valid UTF-8, one piece per token, like a real one.
		// (<|endoftext|> would end a generation too, as in Qwen models, even with ignore_eos.)
		float[] embeddings = gaussian(random, embd * vocab, 0.5f);
		float[] output = gaussian(random, embd * vocab, 0.5f);
		for (int t = 0; t < vocab; t++) {
			embeddings[t * embd] = 4f;
			boolean unprintable = bpe != null && t < 256 && (t < 0x20 && t != '\n' || t >= 0x7f);
			// of the control tokens only the end of a turn is ever generated
			boolean otherSpecial = (bpe == null || t >= 256) && types[t] == 3 && !tokens[t].equals(end);
			output[t * embd] = unprintable || otherSpecial ? -4f : tokens[t].equals(end) ? endBias : 0f;
		}
		w.tensor("token_embd.weight", type, embeddings, embd, vocab);
		w.tensor("output.weight", type, output, embd, vocab);
		if (reranker) {
			w.tensor("cls.output.weight", TensorType.F32, gaussian(random, embd * 2, 0.5f), embd, 2);
		}
		w.tensor("output_norm.weight", TensorType.F32, ones(embd), embd);
		for (int i = 0; i < layers; i++) {
			String b = "blk." + i + ".";
			w.tensor(b + "attn_norm.weight", TensorType.F32, ones(embd), embd);
			w.tensor(b + "attn_q.weight", type, gaussian(random, embd * embd, 0.05f), embd, embd);
			w.tensor(b + "attn_k.weight", type, gaussian(random, embd * headsKv * headDim, 0.05f), embd, headsKv * headDim);
			w.tensor(b + "attn_v.weight", type, gaussian(random, embd * headsKv * headDim, 0.05f), embd, headsKv * headDim);
			w.tensor(b + "attn_output.weight", type, gaussian(random, embd * embd, 0.05f), embd, embd);
			if (a.equals("qwen2")) {
				w.tensor(b + "attn_q.bias", TensorType.F32, new float[embd], embd);
				w.tensor(b + "attn_k.bias", TensorType.F32, new float[headsKv * headDim], headsKv * headDim);
				w.tensor(b + "attn_v.bias", TensorType.F32, new float[headsKv * headDim], headsKv * headDim);
			}
			if (a.equals("qwen3")) {
				w.tensor(b + "attn_q_norm.weight", TensorType.F32, ones(headDim), headDim);
				w.tensor(b + "attn_k_norm.weight", TensorType.F32, ones(headDim), headDim);
			}
			w.tensor(b + "ffn_norm.weight", TensorType.F32, ones(embd), embd);
			w.tensor(b + "ffn_gate.weight", type, gaussian(random, embd * ff, 0.05f), embd, ff);
			w.tensor(b + "ffn_up.weight", type, gaussian(random, embd * ff, 0.05f), embd, ff);
			w.tensor(b + "ffn_down.weight", type, gaussian(random, ff * embd, 0.05f), ff, embd);
		}
		w.write(file);
		return file;
	}

	private static float[] gaussian(SplittableRandom random, int n, float std) {
		float[] a = new float[n];
		for (int i = 0; i < n; i++) {
			// sum of uniforms: close enough to a normal, and cheap
			double s = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
			a[i] = (float) (s * 2 * std);
		}
		return a;
	}

	private static float[] ones(int n) {
		float[] a = new float[n];
		java.util.Arrays.fill(a, 1f);
		return a;
	}
}
