package ai.local.runtime.http.codec;

import java.security.SecureRandom;

/**
 * Random ids in OpenAI's and Anthropic's shapes: {@code chatcmpl-…}, {@code call_…}, {@code resp_…}. Session and
 * response ids name stored conversations, so they come from a {@link SecureRandom}: one draw of bytes per id
 * (a draw per character cost more than the rest of a proxied request).
 */
public final class Ids {
	private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
	private static final int LENGTH = 24;
	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	public static String next(String prefix) {
		char[] c = new char[LENGTH];
		byte[] bytes = new byte[LENGTH + 8];
		int n = 0;
		while (n < LENGTH) {
			RANDOM.nextBytes(bytes);
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
