package ai.local.runtime.http.codec;

import java.security.SecureRandom;

/** Random ids in OpenAI's and Anthropic's shapes: {@code chatcmpl-…}, {@code call_…}, {@code resp_…}. */
public final class Ids {
	private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	public static String next(String prefix) {
		char[] c = new char[24];
		for (int i = 0; i < c.length; i++) {
			c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
		}
		return prefix + new String(c);
	}
}
