package ai.local.runtime.llama.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.llamacpp.engine.DeviceMemory;

/**
 * The part of llama.cpp's C API ({@code include/llama.h}, and a few {@code ggml} calls) this engine uses, as
 * hand-written FFM downcalls against the pinned release (see the {@code llama.release} property of the build).
 * The structs it passes are in {@link Structs}. Nothing here validates arguments: {@link ai.local.runtime.llama.core} does, because some
 * misuses abort the process (a token id outside the vocabulary, a batch above n_batch, a grammar fed tokens it
 * did not sample).
 */
public final class Llama {
	static final Linker LINKER = Linker.nativeLinker();
	static final AddressLayout PTR = ADDRESS;
	static final ValueLayout.OfInt I32 = JAVA_INT;
	static final ValueLayout.OfLong SIZE = JAVA_LONG;
	static final ValueLayout.OfBoolean BOOL = JAVA_BOOLEAN;
	static final ValueLayout.OfFloat F32 = JAVA_FLOAT;

	public static final int POOLING_NONE = 0, POOLING_MEAN = 1, POOLING_CLS = 2, POOLING_LAST = 3, POOLING_RANK = 4;
	public static final int FLASH_ATTN_AUTO = -1, FLASH_ATTN_DISABLED = 0, FLASH_ATTN_ENABLED = 1;
	public static final int LOG_DEBUG = 1, LOG_INFO = 2, LOG_WARN = 3, LOG_ERROR = 4, LOG_CONT = 5;

	private final SymbolLookup lib;

	public final MethodHandle ggml_backend_load_all_from_path, ggml_backend_load, ggml_backend_unload,
			ggml_backend_dev_count, ggml_backend_dev_get, ggml_backend_dev_name, ggml_backend_dev_description,
			ggml_backend_dev_type, ggml_backend_dev_memory, ggml_backend_dev_by_type, ggml_backend_dev_backend_reg,
			ggml_backend_reg_get_proc_address, ggml_backend_reg_name, ggml_threadpool_params_default,
			llama_attach_threadpool, llama_backend_init, llama_log_set, ggml_set_abort_callback,
			llama_model_default_params, llama_model_load_from_file, llama_model_free, llama_model_get_vocab,
			llama_model_n_embd, llama_model_n_ctx_train, llama_model_size, llama_model_n_params, llama_model_n_cls_out,
			llama_model_has_encoder, llama_model_is_recurrent, llama_model_is_hybrid, llama_model_meta_val_str,
			llama_model_desc, llama_context_default_params, llama_init_from_model, llama_free, llama_n_ctx,
			llama_n_ctx_seq, llama_n_seq_max, llama_n_batch, llama_n_ubatch, llama_get_memory, llama_memory_clear,
			llama_memory_seq_rm, llama_memory_seq_pos_max, llama_decode, llama_get_embeddings_seq,
			llama_get_logits_ith, llama_set_abort_callback, llama_vocab_n_tokens, llama_vocab_is_eog,
			llama_vocab_bos, llama_vocab_eos, llama_vocab_get_add_bos, llama_vocab_fim_pre, llama_vocab_fim_suf,
			llama_vocab_fim_mid, llama_vocab_fim_rep, llama_vocab_fim_sep, llama_tokenize, llama_token_to_piece,
			llama_sampler_chain_default_params, llama_sampler_chain_init, llama_sampler_chain_add,
			llama_sampler_init_greedy, llama_sampler_init_dist, llama_sampler_init_top_k, llama_sampler_init_top_p,
			llama_sampler_init_min_p, llama_sampler_init_typical, llama_sampler_init_temp,
			llama_sampler_init_penalties, llama_sampler_init_logit_bias, llama_sampler_init_grammar,
			llama_sampler_init_grammar_lazy_patterns, llama_sampler_sample, llama_sampler_apply, llama_sampler_accept,
			llama_sampler_free, llama_chat_apply_template;

	Llama(SymbolLookup lib) {
		this.lib = lib;
		ggml_backend_load_all_from_path = fn("ggml_backend_load_all_from_path", null, PTR);
		ggml_backend_load = fn("ggml_backend_load", PTR, PTR);
		ggml_backend_unload = fn("ggml_backend_unload", null, PTR);
		ggml_backend_dev_count = fn("ggml_backend_dev_count", SIZE);
		ggml_backend_dev_get = fn("ggml_backend_dev_get", PTR, SIZE);
		ggml_backend_dev_name = fn("ggml_backend_dev_name", PTR, PTR);
		ggml_backend_dev_description = fn("ggml_backend_dev_description", PTR, PTR);
		ggml_backend_dev_type = fn("ggml_backend_dev_type", I32, PTR);
		ggml_backend_dev_memory = fn("ggml_backend_dev_memory", null, PTR, PTR, PTR);
		ggml_backend_dev_by_type = fn("ggml_backend_dev_by_type", PTR, I32);
		ggml_backend_dev_backend_reg = fn("ggml_backend_dev_backend_reg", PTR, PTR);
		ggml_backend_reg_get_proc_address = fn("ggml_backend_reg_get_proc_address", PTR, PTR, PTR);
		ggml_backend_reg_name = fn("ggml_backend_reg_name", PTR, PTR);
		ggml_threadpool_params_default = fn("ggml_threadpool_params_default", Structs.THREADPOOL_PARAMS, I32);
		llama_attach_threadpool = fn("llama_attach_threadpool", null, PTR, PTR, PTR);
		llama_backend_init = fn("llama_backend_init", null);
		llama_log_set = fn("llama_log_set", null, PTR, PTR);
		ggml_set_abort_callback = fn("ggml_set_abort_callback", PTR, PTR);

		llama_model_default_params = fn("llama_model_default_params", Structs.MODEL_PARAMS);
		llama_model_load_from_file = fn("llama_model_load_from_file", PTR, PTR, Structs.MODEL_PARAMS);
		llama_model_free = fn("llama_model_free", null, PTR);
		llama_model_get_vocab = fn("llama_model_get_vocab", PTR, PTR);
		llama_model_n_embd = fn("llama_model_n_embd", I32, PTR);
		llama_model_n_ctx_train = fn("llama_model_n_ctx_train", I32, PTR);
		llama_model_size = fn("llama_model_size", SIZE, PTR);
		llama_model_n_params = fn("llama_model_n_params", SIZE, PTR);
		llama_model_n_cls_out = fn("llama_model_n_cls_out", I32, PTR);
		llama_model_has_encoder = fn("llama_model_has_encoder", BOOL, PTR);
		llama_model_is_recurrent = fn("llama_model_is_recurrent", BOOL, PTR);
		llama_model_is_hybrid = fn("llama_model_is_hybrid", BOOL, PTR);
		llama_model_meta_val_str = fn("llama_model_meta_val_str", I32, PTR, PTR, PTR, SIZE);
		llama_model_desc = fn("llama_model_desc", I32, PTR, PTR, SIZE);

		llama_context_default_params = fn("llama_context_default_params", Structs.CONTEXT_PARAMS);
		llama_init_from_model = fn("llama_init_from_model", PTR, PTR, Structs.CONTEXT_PARAMS);
		llama_free = fn("llama_free", null, PTR);
		llama_n_ctx = fn("llama_n_ctx", I32, PTR);
		llama_n_ctx_seq = fn("llama_n_ctx_seq", I32, PTR);
		llama_n_seq_max = fn("llama_n_seq_max", I32, PTR);
		llama_n_batch = fn("llama_n_batch", I32, PTR);
		llama_n_ubatch = fn("llama_n_ubatch", I32, PTR);
		llama_get_memory = fn("llama_get_memory", PTR, PTR);
		llama_memory_clear = fn("llama_memory_clear", null, PTR, BOOL);
		llama_memory_seq_rm = fn("llama_memory_seq_rm", BOOL, PTR, I32, I32, I32);
		llama_memory_seq_pos_max = fn("llama_memory_seq_pos_max", I32, PTR, I32);
		llama_decode = fn("llama_decode", I32, PTR, Structs.BATCH);
		llama_get_embeddings_seq = fn("llama_get_embeddings_seq", PTR, PTR, I32);
		llama_get_logits_ith = fn("llama_get_logits_ith", PTR, PTR, I32);
		llama_set_abort_callback = fn("llama_set_abort_callback", null, PTR, PTR, PTR);

		llama_vocab_n_tokens = fn("llama_vocab_n_tokens", I32, PTR);
		llama_vocab_is_eog = fn("llama_vocab_is_eog", BOOL, PTR, I32);
		llama_vocab_bos = fn("llama_vocab_bos", I32, PTR);
		llama_vocab_eos = fn("llama_vocab_eos", I32, PTR);
		llama_vocab_get_add_bos = fn("llama_vocab_get_add_bos", BOOL, PTR);
		llama_vocab_fim_pre = fn("llama_vocab_fim_pre", I32, PTR);
		llama_vocab_fim_suf = fn("llama_vocab_fim_suf", I32, PTR);
		llama_vocab_fim_mid = fn("llama_vocab_fim_mid", I32, PTR);
		llama_vocab_fim_rep = fn("llama_vocab_fim_rep", I32, PTR);
		llama_vocab_fim_sep = fn("llama_vocab_fim_sep", I32, PTR);
		llama_tokenize = fn("llama_tokenize", I32, PTR, PTR, I32, PTR, I32, BOOL, BOOL);
		llama_token_to_piece = fn("llama_token_to_piece", I32, PTR, I32, PTR, I32, I32, BOOL);

		llama_sampler_chain_default_params = fn("llama_sampler_chain_default_params", Structs.SAMPLER_CHAIN_PARAMS);
		llama_sampler_chain_init = fn("llama_sampler_chain_init", PTR, Structs.SAMPLER_CHAIN_PARAMS);
		llama_sampler_chain_add = fn("llama_sampler_chain_add", null, PTR, PTR);
		llama_sampler_init_greedy = fn("llama_sampler_init_greedy", PTR);
		llama_sampler_init_dist = fn("llama_sampler_init_dist", PTR, I32);
		llama_sampler_init_top_k = fn("llama_sampler_init_top_k", PTR, I32);
		llama_sampler_init_top_p = fn("llama_sampler_init_top_p", PTR, F32, SIZE);
		llama_sampler_init_min_p = fn("llama_sampler_init_min_p", PTR, F32, SIZE);
		llama_sampler_init_typical = fn("llama_sampler_init_typical", PTR, F32, SIZE);
		llama_sampler_init_temp = fn("llama_sampler_init_temp", PTR, F32);
		llama_sampler_init_penalties = fn("llama_sampler_init_penalties", PTR, I32, I32, F32, F32, F32);
		llama_sampler_init_logit_bias = fn("llama_sampler_init_logit_bias", PTR, I32, I32, PTR);
		llama_sampler_init_grammar = fn("llama_sampler_init_grammar", PTR, PTR, PTR, PTR);
		llama_sampler_init_grammar_lazy_patterns = fn("llama_sampler_init_grammar_lazy_patterns", PTR, PTR, PTR, PTR,
				PTR, SIZE, PTR, SIZE);
		llama_sampler_sample = fn("llama_sampler_sample", I32, PTR, PTR, I32);
		llama_sampler_apply = fn("llama_sampler_apply", null, PTR, PTR);
		llama_sampler_accept = fn("llama_sampler_accept", null, PTR, I32);
		llama_sampler_free = fn("llama_sampler_free", null, PTR);

		llama_chat_apply_template = fn("llama_chat_apply_template", I32, PTR, PTR, SIZE, BOOL, PTR, I32);
	}

	private MethodHandle fn(String name, MemoryLayout ret, MemoryLayout... args) {
		FunctionDescriptor fd = ret == null ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(ret, args);
		return LINKER.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException(
				"llama.cpp library lacks " + name + ": not the release this engine was written for")), fd);
	}

	// hot path: invokeExact, no boxing

	public int decode(MemorySegment ctx, MemorySegment batch) {
		try {
			return (int) llama_decode.invokeExact(ctx, batch);
		} catch (Throwable t) {
			throw unchecked(t);
		}
	}

	public int sample(MemorySegment sampler, MemorySegment ctx, int idx) {
		try {
			return (int) llama_sampler_sample.invokeExact(sampler, ctx, idx);
		} catch (Throwable t) {
			throw unchecked(t);
		}
	}

	/** The logits of the batch's {@code idx}-th token, n_vocab floats (the pointer; reinterpret to read them). */
	/** The logits of the batch's {@code idx}-th token; an exception, never a NULL to read, when it has none. */
	public MemorySegment logits(MemorySegment ctx, int idx) {
		MemorySegment row;
		try {
			row = (MemorySegment) llama_get_logits_ith.invokeExact(ctx, idx);
		} catch (Throwable t) {
			throw unchecked(t);
		}
		if (row.address() == 0) {
			throw new IllegalStateException("llama.cpp has no logits for batch index " + idx);
		}
		return row;
	}

	public void apply(MemorySegment sampler, MemorySegment tokenDataArray) {
		try {
			llama_sampler_apply.invokeExact(sampler, tokenDataArray);
		} catch (Throwable t) {
			throw unchecked(t);
		}
	}

	/** Hands the sampler the token chosen; a grammar in it must allow the token (llama.cpp aborts otherwise). */
	public void accept(MemorySegment sampler, int token) {
		try {
			llama_sampler_accept.invokeExact(sampler, token);
		} catch (Throwable t) {
			throw unchecked(t);
		}
	}

	public boolean isEog(MemorySegment vocab, int token) {
		try {
			return (boolean) llama_vocab_is_eog.invokeExact(vocab, token);
		} catch (Throwable t) {
			throw unchecked(t);
		}
	}

	/** The bytes of one token (possibly part of a UTF-8 character); the id must be in the vocabulary. */
	public byte[] piece(MemorySegment vocab, int token, MemorySegment buf, boolean special) {
		try {
			int n = (int) llama_token_to_piece.invokeExact(vocab, token, buf, (int) buf.byteSize(), 0, special);
			if (n < 0) {
				try (Arena a = Arena.ofConfined()) {
					MemorySegment big = a.allocate(-n);
					int m = (int) llama_token_to_piece.invokeExact(vocab, token, big, -n, 0, special);
					return big.asSlice(0, Math.max(0, m)).toArray(JAVA_BYTE);
				}
			}
			return buf.asSlice(0, n).toArray(JAVA_BYTE);
		} catch (Throwable t) {
			throw unchecked(t);
		}
	}

	// the rest: boxed invoke, off the hot path

	public Object invoke(MethodHandle h, Object... args) {
		try {
			return h.invokeWithArguments(args);
		} catch (Throwable t) {
			throw unchecked(t);
		}
	}

	public MemorySegment ptr(MethodHandle h, Object... args) {
		return (MemorySegment) invoke(h, args);
	}

	public int i32(MethodHandle h, Object... args) {
		return (int) invoke(h, args);
	}

	/** Token ids of a text; the buffer grows when llama.cpp says it needs more. */
	public int[] tokenize(MemorySegment vocab, String text, boolean addSpecial, boolean parseSpecial) {
		try (Arena a = Arena.ofConfined()) {
			byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
			MemorySegment str = a.allocate(Math.max(1, utf8.length));
			MemorySegment.copy(utf8, 0, str, JAVA_BYTE, 0, utf8.length);
			int cap = utf8.length + 8;
			for (int round = 0; round < 2; round++) {
				MemorySegment toks = a.allocate(I32, cap);
				int n = i32(llama_tokenize, vocab, str, utf8.length, toks, cap, addSpecial, parseSpecial);
				if (n >= 0) {
					return toks.asSlice(0, 4L * n).toArray(I32);
				}
				if (n == Integer.MIN_VALUE) {
					throw new IllegalArgumentException("the text is too long to tokenize");
				}
				cap = -n;
			}
			throw new IllegalStateException("llama_tokenize: the size it asked for did not fit");
		}
	}

	/** A GGUF metadata value as text, or null. */
	public String meta(MemorySegment model, String key) {
		try (Arena a = Arena.ofConfined()) {
			MemorySegment k = a.allocateFrom(key);
			int n = i32(llama_model_meta_val_str, model, k, MemorySegment.NULL, 0L);
			if (n < 0) {
				return null;
			}
			MemorySegment buf = a.allocate(n + 1L);
			invoke(llama_model_meta_val_str, model, k, buf, n + 1L);
			return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
		}
	}

	public String describe(MemorySegment model) {
		try (Arena a = Arena.ofConfined()) {
			MemorySegment buf = a.allocate(256);
			int n = i32(llama_model_desc, model, buf, 256L);
			return n <= 0 ? "" : buf.getString(0);
		}
	}

	/** llama_chat_apply_template; null when llama.cpp does not recognise the template (-1). */
	public String applyTemplate(String template, List<String[]> messages, boolean addAssistant) {
		try (Arena a = Arena.ofConfined()) {
			MemorySegment msgs = a.allocate(Structs.CHAT_MESSAGE, Math.max(1, messages.size()));
			for (int i = 0; i < messages.size(); i++) {
				MemorySegment m = msgs.asSlice(i * Structs.CHAT_MESSAGE.byteSize(), Structs.CHAT_MESSAGE);
				Structs.set(m, Structs.CHAT_MESSAGE, "role", a.allocateFrom(messages.get(i)[0]));
				Structs.set(m, Structs.CHAT_MESSAGE, "content", a.allocateFrom(messages.get(i)[1]));
			}
			MemorySegment t = a.allocateFrom(template);
			int cap = 4096;
			for (int round = 0; round < 2; round++) {
				MemorySegment buf = a.allocate(cap);
				int n = i32(llama_chat_apply_template, t, msgs, (long) messages.size(), addAssistant, buf, cap);
				if (n < 0) {
					return null;
				}
				if (n <= cap) {
					return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
				}
				cap = n;
			}
			throw new IllegalStateException("llama_chat_apply_template: the size it asked for did not fit");
		}
	}

	/** The registered ggml devices as "name: description". */
	public List<String> devices() {
		List<String> out = new ArrayList<>();
		long n = (long) invoke(ggml_backend_dev_count);
		for (long i = 0; i < n; i++) {
			MemorySegment dev = ptr(ggml_backend_dev_get, i);
			out.add(cString(ptr(ggml_backend_dev_name, dev)) + ": " + cString(ptr(ggml_backend_dev_description, dev)));
		}
		return out;
	}

	/** Each registered ggml device: name, whether it has memory of its own (type GPU), free and total bytes. */
	public List<DeviceMemory> deviceMemory() {
		List<DeviceMemory> out = new ArrayList<>();
		long n = (long) invoke(ggml_backend_dev_count);
		try (Arena a = Arena.ofConfined()) {
			MemorySegment free = a.allocate(ValueLayout.JAVA_LONG);
			MemorySegment total = a.allocate(ValueLayout.JAVA_LONG);
			for (long i = 0; i < n; i++) {
				MemorySegment dev = ptr(ggml_backend_dev_get, i);
				invoke(ggml_backend_dev_memory, dev, free, total);
				int type = (int) invoke(ggml_backend_dev_type, dev);
				out.add(new DeviceMemory(cString(ptr(ggml_backend_dev_name, dev)),
						type == 1, free.get(ValueLayout.JAVA_LONG, 0), total.get(ValueLayout.JAVA_LONG, 0)));
			}
		}
		return out;
	}

	public static String cString(MemorySegment p) {
		return p.equals(MemorySegment.NULL) ? null : p.reinterpret(Long.MAX_VALUE).getString(0);
	}

	static RuntimeException unchecked(Throwable t) {
		if (t instanceof RuntimeException r) {
			return r;
		}
		if (t instanceof Error e) {
			throw e;
		}
		return new IllegalStateException(t);
	}

}
