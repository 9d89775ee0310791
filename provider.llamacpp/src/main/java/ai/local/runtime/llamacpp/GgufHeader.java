package ai.local.runtime.llamacpp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the provider needs from a GGUF file's header, read in Java without loading the model: the architecture,
 * name, file type, trained context, pooling (embedding and reranking models have one), the chat template and the
 * one for tool use, where the file has a second (Command R, Hermes 2 Pro).
 * A file that cannot be read gives an empty header; llama.cpp's load reports the problem.
 */
record GgufHeader(String architecture, String name, int fileType, long contextLength, int poolingType,
		String chatTemplate, String toolUseTemplate, Shape shape, boolean fim, String rerankTemplate) {
	static final GgufHeader EMPTY = new GgufHeader("", "", -1, 0, -1, "", "", Shape.NONE, false, "");
	/** The fill-in-the-middle prefix tokens llama.cpp recognises by their text (Qwen, StarCoder, DeepSeek, CodeLlama ...). */
	private static final Set<String> FIM_PREFIXES = Set.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
			"<\uFF5Cfim\u2581begin\uFF5C>", "<|fim\u2581begin|>", "<PRE>", "\u2581<PRE>", "<|fim_begin|>");
	/** Arrays up to this many elements are shown by {@link #metadata}; longer ones (vocabularies) as null. */
	private static final int SHOWN_ARRAY = 64;

	/**
	 * What the memory of a loaded model depends on besides its weights: layers, widths, the KV heads summed over
	 * the layers (an array where layers differ), key and value widths per head, the vocabulary's size.
	 */
	record Shape(long layers, long embd, long heads, long kvHeadsTotal, long keyLength, long valueLength, long vocab) {
		static final Shape NONE = new Shape(0, 0, 0, 0, 0, 0, 0);
	}

	private static final Set<String> SHAPE = Set.of(".block_count", ".embedding_length", ".attention.head_count",
			".attention.head_count_kv", ".attention.key_length", ".attention.value_length");
	private static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
			STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;
	private static final Set<String> WANTED = Set.of("general.architecture", "general.name", "general.file_type",
			"tokenizer.chat_template", "tokenizer.chat_template.tool_use", "tokenizer.chat_template.rerank");

	static GgufHeader of(Path file) {
		Map<String, Object> values = new HashMap<>();
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
			if (!new String(in.readNBytes(4), StandardCharsets.US_ASCII).equals("GGUF")
					|| Integer.reverseBytes(in.readInt()) < 2) {
				return EMPTY;
			}
			u64(in); // tensor count
			long count = u64(in);
			for (long i = 0; i < count; i++) {
				String key = string(in);
				int type = Integer.reverseBytes(in.readInt());
				String suffix = key.indexOf('.') < 0 ? "" : key.substring(key.indexOf('.'));
				if (key.equals("tokenizer.ggml.tokens") && type == ARRAY) {
					int element = Integer.reverseBytes(in.readInt());
					long n = u64(in);
					values.put(key, n);
					for (long j = 0; j < n; j++) {
						if (element == STRING && FIM_PREFIXES.contains(string(in))) {
							values.put("fim", Boolean.TRUE);
						} else if (element != STRING) {
							skip(in, element);
						}
					}
				} else if (SHAPE.contains(suffix) && type == ARRAY) {
					// per-layer values: their sum and how many
					int element = Integer.reverseBytes(in.readInt());
					long n = u64(in), sum = 0;
					for (long j = 0; j < n; j++) {
						Object v = scalar(in, element);
						sum += v instanceof Long l ? l : 0;
					}
					values.put(key, new long[] { sum, n });
				} else if (WANTED.contains(key) || SHAPE.contains(suffix) || key.endsWith(".context_length")
						|| key.endsWith(".pooling_type")) {
					Object v = scalar(in, type);
					if (v == null) {
						skip(in, type);
					} else {
						values.put(key, v);
					}
				} else {
					skip(in, type);
				}
			}
		} catch (IOException | RuntimeException e) {
			if (values.isEmpty()) {
				return EMPTY;
			}
		}
		String arch = text(values.get("general.architecture"));
		return new GgufHeader(arch, text(values.get("general.name")), (int) number(values.get("general.file_type"), -1),
				number(values.get(arch + ".context_length"), 0), (int) number(values.get(arch + ".pooling_type"), -1),
				text(values.get("tokenizer.chat_template")), text(values.get("tokenizer.chat_template.tool_use")),
				shape(values, arch), values.containsKey("fim") || values.containsKey("tokenizer.ggml.fim_pre_token_id"),
				text(values.get("tokenizer.chat_template.rerank")));
	}

	/**
	 * Every key/value of the file's header, in file order: strings, numbers and booleans as they are, arrays up to
	 * {@value #SHOWN_ARRAY} elements as lists, longer ones (vocabularies, merges) as null, as Ollama shows them.
	 */
	static Map<String, Object> metadata(Path file) {
		Map<String, Object> values = new java.util.LinkedHashMap<>();
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
			if (!new String(in.readNBytes(4), StandardCharsets.US_ASCII).equals("GGUF")
					|| Integer.reverseBytes(in.readInt()) < 2) {
				return values;
			}
			u64(in);
			long count = u64(in);
			for (long i = 0; i < count; i++) {
				String key = string(in);
				int type = Integer.reverseBytes(in.readInt());
				if (type == ARRAY) {
					int element = Integer.reverseBytes(in.readInt());
					long n = u64(in);
					if (n > SHOWN_ARRAY || element == ARRAY) {
						for (long j = 0; j < n; j++) {
							skip(in, element);
						}
						values.put(key, null);
					} else {
						java.util.List<Object> list = new java.util.ArrayList<>();
						for (long j = 0; j < n; j++) {
							list.add(value(in, element));
						}
						values.put(key, list);
					}
				} else {
					values.put(key, value(in, type));
				}
			}
		} catch (IOException | RuntimeException e) {
			// what was read before the damage is still shown
		}
		return values;
	}

	private static Object value(DataInputStream in, int type) throws IOException {
		return switch (type) {
		case FLOAT32 -> (double) Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
		case FLOAT64 -> Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
		case BOOL -> in.readByte() != 0;
		default -> scalar(in, type);
		};
	}

	private static Shape shape(Map<String, Object> v, String arch) {
		long layers = number(v.get(arch + ".block_count"), 0);
		long embd = number(v.get(arch + ".embedding_length"), 0);
		long heads = v.get(arch + ".attention.head_count") instanceof long[] a ? (a[1] == 0 ? 0 : a[0] / a[1])
				: number(v.get(arch + ".attention.head_count"), 0);
		Object kv = v.get(arch + ".attention.head_count_kv");
		long kvTotal = kv instanceof long[] a ? a[0] : number(kv, heads) * layers;
		long headDim = heads == 0 ? 0 : embd / heads;
		return new Shape(layers, embd, heads, kvTotal, number(v.get(arch + ".attention.key_length"), headDim),
				number(v.get(arch + ".attention.value_length"), headDim), number(v.get("tokenizer.ggml.tokens"), 0));
	}

	/** An embedding model (it pools) or a reranker (rank pooling, 4), rather than one that chats. */
	boolean embeddingOnly() {
		return poolingType > 0;
	}

	boolean reranker() {
		return poolingType == 4;
	}

	private static String text(Object v) {
		return v instanceof String s ? s : "";
	}

	private static long number(Object v, long fallback) {
		return v instanceof Number n ? n.longValue() : fallback;
	}

	/** A string or integer value; null for other types (then the caller skips it). */
	private static Object scalar(DataInputStream in, int type) throws IOException {
		return switch (type) {
		case STRING -> string(in);
		case UINT8, INT8 -> (long) in.readByte();
		case UINT16, INT16 -> (long) Short.reverseBytes(in.readShort());
		case UINT32 -> Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
		case INT32 -> (long) Integer.reverseBytes(in.readInt());
		case UINT64, INT64 -> u64(in);
		default -> null;
		};
	}

	private static void skip(DataInputStream in, int type) throws IOException {
		if (type == STRING) {
			in.skipNBytes(u64(in));
		} else if (type == ARRAY) {
			int element = Integer.reverseBytes(in.readInt());
			long count = u64(in);
			if (element == STRING || element == ARRAY) {
				for (long i = 0; i < count; i++) {
					skip(in, element);
				}
			} else {
				in.skipNBytes(count * size(element));
			}
		} else {
			in.skipNBytes(size(type));
		}
	}

	private static long size(int type) {
		return switch (type) {
		case UINT8, INT8, BOOL -> 1;
		case UINT16, INT16 -> 2;
		case UINT32, INT32, FLOAT32 -> 4;
		case UINT64, INT64, FLOAT64 -> 8;
		default -> throw new IllegalArgumentException("GGUF value type " + type);
		};
	}

	private static long u64(DataInputStream in) throws IOException {
		return Long.reverseBytes(in.readLong());
	}

	private static String string(DataInputStream in) throws IOException {
		long n = u64(in);
		if (n < 0 || n > (64 << 20)) {
			throw new IOException("implausible GGUF string length " + n);
		}
		return new String(in.readNBytes((int) n), StandardCharsets.UTF_8);
	}
}
