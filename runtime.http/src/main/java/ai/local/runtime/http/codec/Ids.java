package ai.local.runtime.http.codec;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids in OpenAI's and Anthropic's shapes: {@code chatcmpl-…}, {@code msg_…}, {@code resp_…}: a prefix and
 * 24 letters and digits. Ids that name a stored conversation (sessions, stored responses) are read back on
 * request, so knowing one is access: those are {@link #secret secret}; the others only need to be unique.
 */
public final class Ids {
	private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
	private static final int LENGTH = 24;
	private static final SecureRandom SECURE = new SecureRandom();

	private Ids() {
	}

	/** A unique id that grants nothing (a completion's or a message's id). */
	public static String next(String prefix) {
		return id(prefix, ThreadLocalRandom.current());
	}

	/** An unguessable id, for what can be loaded by its id. */
	public static String secret(String prefix) {
		return id(prefix, SECURE);
	}

	private static String id(String prefix, Random random) {
		char[] c = new char[LENGTH];
		byte[] bytes = new byte[LENGTH + 8];
		int n = 0;
		while (n < LENGTH) {
			// one draw of bytes per id: a SecureRandom draw per character took 13% of a proxied request's CPU
			random.nextBytes(bytes);
			for (int i = 0; i < bytes.length && n < LENGTH; i++) {
				// six bits give 0..63; dropping 62 and 63 keeps every character equally likely
				int v = bytes[i] & 0x3F;
				if (v < ALPHABET.length) {
					c[n++] = ALPHABET[v];
				}
			}
		}
		return prefix + new String(c);
	}
}
