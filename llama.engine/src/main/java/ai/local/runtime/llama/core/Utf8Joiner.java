package ai.local.runtime.llama.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Joins token bytes into text: a token may end inside a UTF-8 character, whose rest comes with the next token.
 * Bytes that never form a character come out as U+FFFD, as in llama-server.
 */
final class Utf8Joiner {
	private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

	/** The text complete so far; an unfinished character stays pending. */
	String accept(byte[] bytes) {
		pending.writeBytes(bytes);
		byte[] all = pending.toByteArray();
		int end = completeLength(all);
		pending.reset();
		pending.write(all, end, all.length - end);
		return new String(all, 0, end, StandardCharsets.UTF_8);
	}

	/** Whatever is pending, replacement characters included. */
	String flush() {
		String rest = pending.toString(StandardCharsets.UTF_8);
		pending.reset();
		return rest;
	}

	/** The length of the prefix that does not end inside a multi-byte character. */
	static int completeLength(byte[] b) {
		int n = b.length;
		// look back at most 3 bytes for the lead byte of an unfinished character
		for (int back = 1; back <= Math.min(3, n); back++) {
			int c = b[n - back] & 0xff;
			if ((c & 0xc0) == 0x80) {
				continue; // a continuation byte
			}
			int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
			return need > back ? n - back : n;
		}
		return n;
	}
}
