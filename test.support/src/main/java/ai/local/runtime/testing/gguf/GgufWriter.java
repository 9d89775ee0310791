package ai.local.runtime.testing.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file: header, key/values, tensor infos, then the 32-byte aligned data section. Tensors are
 * given as float arrays and stored as F32 or F16; {@code shape[0]} is the contiguous dimension.
 */
public final class GgufWriter {

	public enum TensorType {
		F32(0, 4), F16(1, 2);

		final int id;
		final int bytes;

		TensorType(int id, int bytes) {
			this.id = id;
			this.bytes = bytes;
		}
	}

	private static final int ALIGNMENT = 32;
	private static final int UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7, STRING = 8, ARRAY = 9;

	private record Tensor(String name, long[] shape, TensorType type, float[] data) {
		long size() {
			return (long) data.length * type.bytes;
		}
	}

	private final Map<String, Object> values = new LinkedHashMap<>();
	private final List<Tensor> tensors = new ArrayList<>();

	public GgufWriter put(String key, Object value) {
		values.put(key, value);
		return this;
	}

	public GgufWriter tensor(String name, TensorType type, float[] data, long... shape) {
		long count = 1;
		for (long n : shape) {
			count *= n;
		}
		if (count != data.length) {
			throw new IllegalArgumentException(name + ": shape holds " + count + " values, data " + data.length);
		}
		tensors.add(new Tensor(name, shape, type, data));
		return this;
	}

	public void write(Path file) throws IOException {
		values.putIfAbsent("general.alignment", new U32(ALIGNMENT));
		try (var out = new Out(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
			out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
			out.u32(3);
			out.u64(tensors.size());
			out.u64(values.size());
			for (var e : values.entrySet()) {
				out.string(e.getKey());
				value(out, e.getValue());
			}
			long offset = 0;
			for (Tensor t : tensors) {
				out.string(t.name);
				out.u32(t.shape.length);
				for (long n : t.shape) {
					out.u64(n);
				}
				out.u32(t.type.id);
				out.u64(offset);
				offset = align(offset + t.size());
			}
			out.pad();
			for (Tensor t : tensors) {
				for (float f : t.data) {
					if (t.type == TensorType.F32) {
						out.u32(Float.floatToRawIntBits(f));
					} else {
						out.u16(F16.of(f));
					}
				}
				out.pad();
			}
		}
	}

	/** An unsigned 32-bit value (plain Integer values are written as INT32). */
	public record U32(long value) {
	}

	private static void value(Out out, Object v) throws IOException {
		if (v instanceof U32 u) {
			out.u32(UINT32);
			out.u32((int) u.value);
		} else if (v instanceof Integer i) {
			out.u32(INT32);
			out.u32(i);
		} else if (v instanceof Float f) {
			out.u32(FLOAT32);
			out.u32(Float.floatToRawIntBits(f));
		} else if (v instanceof Boolean b) {
			out.u32(BOOL);
			out.u8(b ? 1 : 0);
		} else if (v instanceof String s) {
			out.u32(STRING);
			out.string(s);
		} else if (v instanceof String[] a) {
			out.u32(ARRAY);
			out.u32(STRING);
			out.u64(a.length);
			for (String s : a) {
				out.string(s);
			}
		} else if (v instanceof int[] a) {
			out.u32(ARRAY);
			out.u32(INT32);
			out.u64(a.length);
			for (int i : a) {
				out.u32(i);
			}
		} else if (v instanceof float[] a) {
			out.u32(ARRAY);
			out.u32(FLOAT32);
			out.u64(a.length);
			for (float f : a) {
				out.u32(Float.floatToRawIntBits(f));
			}
		} else {
			throw new IllegalArgumentException("unsupported GGUF value " + v);
		}
	}

	private static long align(long n) {
		return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
	}

	/** Little-endian output that knows its position, for padding. */
	private static final class Out implements AutoCloseable {
		private final OutputStream out;
		private final ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		private long position;

		Out(OutputStream out) {
			this.out = out;
		}

		void bytes(byte[] b) throws IOException {
			out.write(b);
			position += b.length;
		}

		void u8(int v) throws IOException {
			out.write(v);
			position++;
		}

		void u16(short v) throws IOException {
			out.write(v & 0xff);
			out.write((v >> 8) & 0xff);
			position += 2;
		}

		void u32(int v) throws IOException {
			buffer.clear();
			buffer.putInt(v);
			out.write(buffer.array(), 0, 4);
			position += 4;
		}

		void u64(long v) throws IOException {
			buffer.clear();
			buffer.putLong(v);
			out.write(buffer.array(), 0, 8);
			position += 8;
		}

		void string(String s) throws IOException {
			byte[] b = s.getBytes(StandardCharsets.UTF_8);
			u64(b.length);
			bytes(b);
		}

		void pad() throws IOException {
			while (position % ALIGNMENT != 0) {
				u8(0);
			}
		}

		@Override
		public void close() throws IOException {
			out.close();
		}
	}

	/** IEEE 754 half precision, round to nearest even (JDK 17 has no Float.floatToFloat16). */
	static final class F16 {
		static short of(float f) {
			int bits = Float.floatToRawIntBits(f);
			int sign = (bits >>> 16) & 0x8000;
			int exp = ((bits >>> 23) & 0xff) - 127 + 15;
			int mant = bits & 0x7fffff;
			if (exp <= 0) {
				if (exp < -10) {
					return (short) sign;
				}
				mant |= 0x800000;
				int shift = 14 - exp;
				int half = mant >> shift;
				int rest = mant & ((1 << shift) - 1);
				int mid = 1 << (shift - 1);
				if (rest > mid || (rest == mid && (half & 1) == 1)) {
					half++;
				}
				return (short) (sign | half);
			}
			if (exp >= 31) {
				return (short) (sign | 0x7c00);
			}
			int half = (exp << 10) | (mant >> 13);
			int rest = mant & 0x1fff;
			if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
				half++;
			}
			return (short) (sign | half);
		}
	}
}
