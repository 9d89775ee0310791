package ai.local.runtime.testing.gguf;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real tokenizer taken from another GGUF file (e.g. llama.cpp's {@code models/ggml-vocab-qwen2.gguf}): its
 * {@code tokenizer.ggml.*} keys, read here and written into a test model as they are, so that the model tokenizes
 * exactly like the real one. {@code eos}: the text of the token that ends a turn (real instruct GGUFs set it to
 * {@code <|im_end|>} or {@code <|eot_id|>}); {@code addBos}: whether prompts start with BOS.
 */
public record GgufTokenizer(Map<String, Object> values, String eos, boolean addBos) {

	private static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
			STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

	public static GgufTokenizer read(Path vocabGguf, String eos, boolean addBos) throws IOException {
		Map<String, Object> values = new LinkedHashMap<>();
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(vocabGguf), 1 << 20))) {
			if (!new String(in.readNBytes(4), StandardCharsets.US_ASCII).equals("GGUF")) {
				throw new IOException(vocabGguf + " is not a GGUF file");
			}
			in.readInt();
			in.readLong();
			long count = Long.reverseBytes(in.readLong());
			for (long i = 0; i < count; i++) {
				String key = string(in);
				Object value = value(in, Integer.reverseBytes(in.readInt()));
				if (key.startsWith("tokenizer.ggml.") && value != null) {
					values.put(key, value);
				}
			}
		}
		return new GgufTokenizer(values, eos, addBos);
	}

	/**
	 * The tokenizer with tokens put at the given ids (replacing what is there, e.g. the padding entries a base
	 * vocabulary file has where an instruct model's tokenizer adds its own tokens).
	 *
	 * @param type llama.cpp's token type: 3 control, 4 user-defined
	 */
	public GgufTokenizer withTokens(Map<Integer, String> added, int type) {
		Map<String, Object> copy = new LinkedHashMap<>(values);
		String[] tokens = tokens().clone();
		int[] types = types().clone();
		added.forEach((id, text) -> {
			tokens[id] = text;
			types[id] = type;
		});
		copy.put("tokenizer.ggml.tokens", tokens);
		copy.put("tokenizer.ggml.token_type", types);
		return new GgufTokenizer(copy, eos, addBos);
	}

	public String[] tokens() {
		return (String[]) values.get("tokenizer.ggml.tokens");
	}

	public int[] types() {
		return (int[]) values.get("tokenizer.ggml.token_type");
	}

	public int id(String token) {
		String[] t = tokens();
		for (int i = 0; i < t.length; i++) {
			if (t[i].equals(token)) {
				return i;
			}
		}
		throw new IllegalArgumentException("no token " + token);
	}

	private static Object value(DataInputStream in, int type) throws IOException {
		switch (type) {
		case STRING:
			return string(in);
		case UINT32:
			return new GgufWriter.U32(Integer.toUnsignedLong(Integer.reverseBytes(in.readInt())));
		case INT32:
			return Integer.reverseBytes(in.readInt());
		case FLOAT32:
			return Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
		case BOOL:
			return in.readByte() != 0;
		case ARRAY: {
			int element = Integer.reverseBytes(in.readInt());
			int n = (int) Long.reverseBytes(in.readLong());
			if (element == STRING) {
				String[] a = new String[n];
				for (int i = 0; i < n; i++) {
					a[i] = string(in);
				}
				return a;
			}
			if (element == INT32) {
				int[] a = new int[n];
				for (int i = 0; i < n; i++) {
					a[i] = Integer.reverseBytes(in.readInt());
				}
				return a;
			}
			if (element == FLOAT32) {
				float[] a = new float[n];
				for (int i = 0; i < n; i++) {
					a[i] = Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
				}
				return a;
			}
			in.skipNBytes((long) n * size(element));
			return null;
		}
		default:
			in.skipNBytes(size(type));
			return null;
		}
	}

	private static long size(int type) {
		return switch (type) {
		case UINT8, INT8, BOOL -> 1;
		case UINT16, INT16 -> 2;
		case UINT32, INT32, FLOAT32 -> 4;
		case UINT64, INT64, FLOAT64 -> 8;
		default -> throw new IllegalArgumentException("GGUF type " + type);
		};
	}

	private static String string(DataInputStream in) throws IOException {
		long n = Long.reverseBytes(in.readLong());
		return new String(in.readNBytes((int) n), StandardCharsets.UTF_8);
	}
}
