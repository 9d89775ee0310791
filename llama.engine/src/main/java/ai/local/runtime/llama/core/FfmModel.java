package ai.local.runtime.llama.core;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.llama.ffm.Llama;
import ai.local.runtime.llama.ffm.Structs;
import ai.local.runtime.llama.ffm.NativeLlama;
import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.FileTypes;
import ai.local.runtime.llamacpp.engine.FimTokens;
import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;
import ai.local.runtime.llamacpp.engine.ModelInfo;

/**
 * A model and its one context: for generation, {@code parallel} sequences (slots) served by a {@link DecodeLoop}
 * thread; for embeddings, one sequence used under a lock. Every id and size that would make llama.cpp abort is
 * checked here before the call.
 */
final class FfmModel implements LlamaModelHandle {
	/** Beyond this llama.cpp spends minutes zero-filling KV cells before it fails (spike: 2^30 took 48 s). */
	static final int MAX_CONTEXT = 1 << 22;

	final Llama api;
	final Arena scratch = Arena.ofShared();
	final MemorySegment model, context, vocab, memory;
	final int vocabSize;
	final Samplers samplers;
	final ConstrainedSampling constrained;
	private final NativeLlama natives;
	private final LoadSpec spec;
	private final MemorySegment threadpool;
	private final MemorySegment abortFlag;
	private final DecodeLoop loop;
	private final Thread loopThread;
	private final ModelInfo info;
	private final int bos;
	private final FimTokens fim;
	private final int ubatch;
	private final String name;
	private boolean closed;

	FfmModel(NativeLlama natives, LoadSpec spec) {
		this.natives = natives;
		this.api = natives.api;
		this.spec = spec;
		this.name = spec.file().getFileName().toString();
		if (spec.contextSize() < 1 || spec.contextSize() > MAX_CONTEXT) {
			throw new IllegalArgumentException("context size " + spec.contextSize() + " is outside 1.." + MAX_CONTEXT);
		}
		if (spec.parallel() < 1 || spec.parallel() > 256) {
			throw new IllegalArgumentException("parallel slots " + spec.parallel() + " is outside 1..256");
		}
		boolean embedding = spec.pooling() != null;
		try (Arena a = Arena.ofConfined()) {
			MemorySegment mp = (MemorySegment) api.invoke(api.llama_model_default_params, a);
			Structs.set(mp, Structs.MODEL_PARAMS, "n_gpu_layers", spec.gpuLayers());
			model = api.ptr(api.llama_model_load_from_file, a.allocateFrom(spec.file().toString()), mp);
			if (model.equals(MemorySegment.NULL)) {
				scratch.close();
				throw new IllegalArgumentException("llama.cpp cannot load it (see the llama.cpp log for the reason)");
			}
			int slots = embedding ? 1 : spec.parallel();
			int batch = embedding ? spec.contextSize() / spec.parallel() : Math.max(1, spec.batch());
			MemorySegment cp = (MemorySegment) api.invoke(api.llama_context_default_params, a);
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_ctx", embedding ? batch : spec.contextSize());
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_seq_max", slots);
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_batch", batch);
			// a pooled sequence must fit in one micro-batch
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_ubatch", embedding ? batch : Math.min(spec.ubatch(), batch));
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_threads", spec.threads());
			Structs.set(cp, Structs.CONTEXT_PARAMS, "n_threads_batch", spec.threads());
			Structs.set(cp, Structs.CONTEXT_PARAMS, "offload_kqv", spec.offloadKqv());
			Structs.set(cp, Structs.CONTEXT_PARAMS, "flash_attn_type", switch (spec.flashAttention()) {
			case ENABLED -> Llama.FLASH_ATTN_ENABLED;
			case DISABLED -> Llama.FLASH_ATTN_DISABLED;
			default -> Llama.FLASH_ATTN_AUTO;
			});
			Structs.set(cp, Structs.CONTEXT_PARAMS, "embeddings", embedding);
			if (embedding) {
				Structs.set(cp, Structs.CONTEXT_PARAMS, "pooling_type", switch (spec.pooling()) {
				case MEAN -> Llama.POOLING_MEAN;
				case CLS -> Llama.POOLING_CLS;
				case LAST -> Llama.POOLING_LAST;
				case RANK -> Llama.POOLING_RANK;
				});
			}
			abortFlag = scratch.allocate(ValueLayout.JAVA_INT);
			Structs.set(cp, Structs.CONTEXT_PARAMS, "abort_callback", natives.abortPoll);
			Structs.set(cp, Structs.CONTEXT_PARAMS, "abort_callback_data", abortFlag);
			MemorySegment c = api.ptr(api.llama_init_from_model, model, cp);
			if (c.equals(MemorySegment.NULL)) {
				api.invoke(api.llama_model_free, model);
				scratch.close();
				throw new IllegalArgumentException("llama.cpp cannot create a context of " + spec.contextSize()
						+ " tokens in " + slots + " slots for it (see the llama.cpp log; too little memory?)");
			}
			context = c;
		}
		threadpool = natives.newThreadpool(spec.threads());
		if (threadpool != null) {
			api.invoke(api.llama_attach_threadpool, context, threadpool, threadpool);
		}
		vocab = api.ptr(api.llama_model_get_vocab, model);
		memory = api.ptr(api.llama_get_memory, context);
		vocabSize = api.i32(api.llama_vocab_n_tokens, vocab);
		bos = api.i32(api.llama_vocab_bos, vocab);
		fim = new FimTokens(api.i32(api.llama_vocab_fim_pre, vocab), api.i32(api.llama_vocab_fim_suf, vocab),
				api.i32(api.llama_vocab_fim_mid, vocab), api.i32(api.llama_vocab_fim_rep, vocab),
				api.i32(api.llama_vocab_fim_sep, vocab));
		ubatch = api.i32(api.llama_n_ubatch, context);
		List<Integer> eog = new ArrayList<>();
		for (int t = 0; t < vocabSize; t++) {
			if (api.isEog(vocab, t)) {
				eog.add(t);
			}
		}
		samplers = new Samplers(api, vocab, vocabSize, eog.stream().mapToInt(Integer::intValue).toArray());
		constrained = new ConstrainedSampling(api, vocabSize);
		info = readInfo();
		natives.openModels.incrementAndGet();
		if (embedding) {
			loop = null;
			loopThread = null;
		} else {
			loop = new DecodeLoop(this, spec.parallel(), api.i32(api.llama_n_batch, context));
			loopThread = Thread.ofPlatform().name("llama-decode-" + name).daemon().start(loop);
		}
	}

	String name() {
		return name;
	}

	@Override
	public FimTokens fim() {
		return fim;
	}

	private ModelInfo readInfo() {
		String template = api.meta(model, "tokenizer.chat_template");
		int eos = api.i32(api.llama_vocab_eos, vocab);
		return new ModelInfo(orEmpty(api.meta(model, "general.architecture")), orEmpty(api.meta(model, "general.name")),
				api.describe(model), (long) api.invoke(api.llama_model_size, model),
				(long) api.invoke(api.llama_model_n_params, model), FileTypes.name(fileType(api.meta(model, "general.file_type"))),
				api.i32(api.llama_model_n_ctx_train, model), api.i32(api.llama_n_ctx_seq, context),
				api.i32(api.llama_model_n_embd, model), vocabSize, template == null ? "" : template, tokenText(bos),
				tokenText(eos), (boolean) api.invoke(api.llama_model_is_recurrent, model)
						|| (boolean) api.invoke(api.llama_model_is_hybrid, model));
	}

	private static long fileType(String value) {
		try {
			return value == null ? -1 : Long.parseLong(value.trim());
		} catch (NumberFormatException e) {
			return -1;
		}
	}

	private String tokenText(int token) {
		return token < 0 || token >= vocabSize ? "" : detokenize(new int[] { token });
	}

	private static String orEmpty(String s) {
		return s == null ? "" : s;
	}

	@Override
	public ModelInfo info() {
		return info;
	}

	@Override
	public int[] tokenize(String text, boolean prompt) {
		int[] t = api.tokenize(vocab, text, prompt, prompt);
		if (prompt && t.length >= 2 && t[0] == bos && t[1] == bos) {
			// the template wrote the BOS and llama.cpp added one: keep one, as llama-server does
			return java.util.Arrays.copyOfRange(t, 1, t.length);
		}
		return t;
	}

	@Override
	public String detokenize(int[] tokens) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		pieces(tokens).forEach(out::writeBytes);
		return out.toString(StandardCharsets.UTF_8);
	}

	@Override
	public List<byte[]> pieces(int[] tokens) {
		checkIds(tokens);
		List<byte[]> out = new ArrayList<>(tokens.length);
		try (Arena a = Arena.ofConfined()) {
			MemorySegment buf = a.allocate(256);
			for (int t : tokens) {
				out.add(api.piece(vocab, t, buf, true));
			}
		}
		return out;
	}

	private void checkIds(int[] tokens) {
		for (int t : tokens) {
			if (t < 0 || t >= vocabSize) {
				throw new IllegalArgumentException("token id " + t + " is outside the vocabulary (0.." + (vocabSize - 1) + ")");
			}
		}
	}

	@Override
	public String renderBuiltin(String template, List<String[]> roleAndContent, boolean addAssistant) {
		return api.applyTemplate(template, roleAndContent, addAssistant);
	}

	@Override
	public Generation generate(GenerateSpec g) {
		if (loop == null) {
			throw new IllegalStateException("this model was loaded for embeddings");
		}
		if (g.slot() < 0 || g.slot() >= spec.parallel()) {
			throw new IllegalArgumentException("slot " + g.slot() + " is outside 0.." + (spec.parallel() - 1));
		}
		if (g.prompt().length == 0) {
			throw new IllegalArgumentException("the prompt is empty");
		}
		checkIds(g.prompt());
		for (int t : g.grammarTriggers()) {
			if (t < 0 || t >= vocabSize) {
				throw new IllegalArgumentException("grammar trigger token " + t + " is outside the vocabulary (0.."
						+ (vocabSize - 1) + ")");
			}
		}
		if (g.grammarTriggers().length > 0 && g.grammar() == null) {
			throw new IllegalArgumentException("grammar triggers without a grammar");
		}
		for (int t : g.sampler().logitBias().keySet()) {
			if (t < 0 || t >= vocabSize) {
				throw new IllegalArgumentException("logit_bias names token " + t + ", outside the vocabulary (0.."
						+ (vocabSize - 1) + ")");
			}
		}
		int room = info.servedContext() - g.prompt().length;
		if (room < 1) {
			throw new IllegalArgumentException("the prompt is " + g.prompt().length + " tokens; a slot holds "
					+ info.servedContext());
		}
		// built here, so that a grammar llama.cpp cannot parse is the caller's IllegalArgumentException
		Samplers.Chains chains = samplers.chains(g.sampler(), g.grammar(), g.grammarTriggers(), g.ignoreEos());
		Sequence s = new Sequence(g, Math.max(0, Math.min(g.maxTokens(), room)));
		s.chain = chains.pick();
		s.constraint = chains.constraint();
		loop.submit(s);
		return s;
	}

	@Override
	public synchronized float[] embed(int[] tokens) {
		if (loop != null) {
			throw new IllegalStateException("this model was loaded for generation");
		}
		if (closed) {
			throw new IllegalStateException("the model was unloaded");
		}
		if (tokens.length == 0) {
			throw new IllegalArgumentException("the input is empty");
		}
		if (tokens.length > ubatch) {
			throw new IllegalArgumentException("the input is " + tokens.length + " tokens; this embedding model takes "
					+ ubatch + " at most (n.ctx / parallel)");
		}
		checkIds(tokens);
		api.invoke(api.llama_memory_clear, memory, true);
		try (Batch b = new Batch(tokens.length)) {
			for (int i = 0; i < tokens.length; i++) {
				b.add(tokens[i], i, 0, true);
			}
			int rc = api.decode(context, b.struct());
			if (rc != 0) {
				throw new IllegalStateException("llama_decode failed (" + rc + ")");
			}
		}
		MemorySegment v = api.ptr(api.llama_get_embeddings_seq, context, 0);
		if (v.equals(MemorySegment.NULL)) {
			throw new IllegalStateException("the model gives no pooled embedding");
		}
		int n = spec.pooling() == LoadSpec.Pooling.RANK ? Math.max(1, api.i32(api.llama_model_n_cls_out, model))
				: info.embeddingLength();
		return v.reinterpret(4L * n).toArray(ValueLayout.JAVA_FLOAT);
	}

	@Override
	public void close() {
		synchronized (this) {
			if (closed) {
				return;
			}
			closed = true;
		}
		if (loop != null) {
			loop.close();
			abortFlag.set(ValueLayout.JAVA_INT, 0, 1); // a long decode stops at its next graph node
			try {
				loopThread.join(30_000);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			if (loopThread.isAlive()) {
				// still inside llama.cpp: freeing now would pull the memory from under it; leak rather than crash
				return;
			}
		}
		api.invoke(api.llama_free, context);
		if (threadpool != null) {
			natives.freeThreadpool(threadpool);
		}
		api.invoke(api.llama_model_free, model);
		scratch.close();
		natives.openModels.decrementAndGet();
	}
}
