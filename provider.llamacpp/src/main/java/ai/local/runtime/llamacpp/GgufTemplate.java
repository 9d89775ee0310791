package ai.local.runtime.llamacpp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code tokenizer.chat_template} from a GGUF file's header, in Java: the provider must know what the
 * template refuses before llama.cpp renders it (see {@link ChatPrompt}).
 */
final class GgufTemplate {
	private static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
			STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

	private GgufTemplate() {
	}

	/** The template, or "" when the file has none or cannot be read. */
	static String of(Path file) {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
			byte[] magic = in.readNBytes(4);
			if (!new String(magic, StandardCharsets.US_ASCII).equals("GGUF")) {
				return "";
			}
			int version = Integer.reverseBytes(in.readInt());
			if (version < 2) {
				return "";
			}
			u64(in); // tensor count
			long values = u64(in);
			for (long i = 0; i < values; i++) {
				String key = string(in);
				int type = Integer.reverseBytes(in.readInt());
				if (key.equals("tokenizer.chat_template") && type == STRING) {
					return string(in);
				}
				skip(in, type);
			}
		} catch (IOException | RuntimeException e) {
			// unreadable: llama.cpp's load reports the problem
		}
		return "";
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

	private static String string(InputStream in) throws IOException {
		long n = Long.reverseBytes(new DataInputStream(in).readLong());
		if (n < 0 || n > (64 << 20)) {
			throw new IOException("implausible GGUF string length " + n);
		}
		return new String(in.readNBytes((int) n), StandardCharsets.UTF_8);
	}
}
