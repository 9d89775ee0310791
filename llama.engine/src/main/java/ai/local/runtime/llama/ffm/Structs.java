package ai.local.runtime.llama.ffm;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static ai.local.runtime.llama.ffm.Llama.BOOL;
import static ai.local.runtime.llama.ffm.Llama.F32;
import static ai.local.runtime.llama.ffm.Llama.I32;
import static ai.local.runtime.llama.ffm.Llama.PTR;
import static ai.local.runtime.llama.ffm.Llama.SIZE;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The C structs of llama.h (and ggml.h) the engine passes or reads, as FFM layouts for LP64 (x86-64 and aarch64);
 * {@code LayoutTest} compares them with the C compiler's for the pinned release's headers.
 */
public final class Structs {
	private Structs() {
	}

	public static final StructLayout MODEL_PARAMS = structLayout(
			PTR.withName("devices"), PTR.withName("tensor_buft_overrides"),
			I32.withName("n_gpu_layers"), I32.withName("split_mode"), I32.withName("load_mode"),
			I32.withName("lazy_mode"), I32.withName("main_gpu"), paddingLayout(4),
			PTR.withName("tensor_split"), PTR.withName("progress_callback"),
			PTR.withName("progress_callback_user_data"), PTR.withName("kv_overrides"),
			BOOL.withName("vocab_only"), BOOL.withName("check_tensors"), BOOL.withName("use_extra_bufts"),
			BOOL.withName("no_host"), BOOL.withName("no_alloc"), BOOL.withName("load_mtp"),
			paddingLayout(2)).withName("llama_model_params");

	public static final StructLayout CONTEXT_PARAMS = structLayout(
			I32.withName("n_ctx"), I32.withName("n_batch"), I32.withName("n_ubatch"), I32.withName("n_seq_max"),
			I32.withName("n_rs_seq"), I32.withName("n_outputs_max"), I32.withName("n_outputs_max_per_seq"),
			I32.withName("n_threads"), I32.withName("n_threads_batch"), I32.withName("ctx_type"),
			I32.withName("rope_scaling_type"), I32.withName("pooling_type"), I32.withName("attention_type"),
			I32.withName("flash_attn_type"), F32.withName("rope_freq_base"), F32.withName("rope_freq_scale"),
			F32.withName("yarn_ext_factor"), F32.withName("yarn_attn_factor"), F32.withName("yarn_beta_fast"),
			F32.withName("yarn_beta_slow"), I32.withName("yarn_orig_ctx"), F32.withName("defrag_thold"),
			PTR.withName("cb_eval"), PTR.withName("cb_eval_user_data"),
			I32.withName("type_k"), I32.withName("type_v"),
			PTR.withName("abort_callback"), PTR.withName("abort_callback_data"),
			BOOL.withName("embeddings"), BOOL.withName("offload_kqv"), BOOL.withName("no_perf"),
			BOOL.withName("op_offload"), BOOL.withName("swa_full"), BOOL.withName("kv_unified"), paddingLayout(2),
			PTR.withName("samplers"), SIZE.withName("n_samplers"), PTR.withName("ctx_other")).withName("llama_context_params");

	public static final StructLayout BATCH = structLayout(
			I32.withName("n_tokens"), paddingLayout(4), PTR.withName("token"), PTR.withName("embd"),
			PTR.withName("pos"), PTR.withName("n_seq_id"), PTR.withName("seq_id"), PTR.withName("logits")).withName("llama_batch");

	public static final StructLayout SAMPLER_CHAIN_PARAMS = structLayout(BOOL.withName("no_perf")).withName("llama_sampler_chain_params");

	public static final StructLayout CHAT_MESSAGE = structLayout(PTR.withName("role"), PTR.withName("content")).withName("llama_chat_message");

	public static final StructLayout LOGIT_BIAS = structLayout(I32.withName("token"), F32.withName("bias")).withName("llama_logit_bias");

	public static final StructLayout TOKEN_DATA = structLayout(I32.withName("id"), F32.withName("logit"), F32.withName("p"))
			.withName("llama_token_data");

	public static final StructLayout TOKEN_DATA_ARRAY = structLayout(PTR.withName("data"), SIZE.withName("size"),
			JAVA_LONG.withName("selected"), BOOL.withName("sorted"), paddingLayout(7)).withName("llama_token_data_array");

	/** ggml.h, GGML_MAX_N_THREADS = 512. */
	public static final StructLayout THREADPOOL_PARAMS = structLayout(
			MemoryLayout.sequenceLayout(512, BOOL).withName("cpumask"), I32.withName("n_threads"), I32.withName("prio"),
			I32.withName("poll"), BOOL.withName("strict_cpu"), BOOL.withName("paused"), paddingLayout(2)).withName("ggml_threadpool_params");

	public static Object get(MemorySegment s, StructLayout l, String field) {
		return l.varHandle(groupElement(field)).get(s, 0L);
	}

	public static void set(MemorySegment s, StructLayout l, String field, Object value) {
		l.varHandle(groupElement(field)).set(s, 0L, value);
	}

	/** "struct.member offset" and "struct size n" lines, as the layout test's C program prints them. */
	public static List<String> layouts() {
		List<String> out = new ArrayList<>();
		for (StructLayout s : List.of(MODEL_PARAMS, CONTEXT_PARAMS, BATCH, SAMPLER_CHAIN_PARAMS, CHAT_MESSAGE, LOGIT_BIAS,
				TOKEN_DATA, TOKEN_DATA_ARRAY, THREADPOOL_PARAMS)) {
			String name = s.name().orElseThrow();
			out.add(name + " size " + s.byteSize());
			for (MemoryLayout m : s.memberLayouts()) {
				m.name().ifPresent(n -> out.add(name + "." + n + " " + s.byteOffset(groupElement(n))));
			}
		}
		return out;
	}
}
