package ai.local.runtime.llama.core;

import java.util.ArrayList;
import java.util.List;

/**
 * GBNF alternatives for the decimal integers from {@code min} to {@code max} (either may be open), written as JSON
 * writes them: no leading zeros, "-" for negatives, at most 16 digits like llama.cpp's {@code integral-part}.
 */
final class IntegerRange {
	private static final int MAX_DIGITS = 16;
	private static final long LIMIT = 9_999_999_999_999_999L;

	private IntegerRange() {
	}

	static String of(Long min, Long max) {
		long lo = min == null ? -LIMIT : min;
		long hi = max == null ? LIMIT : max;
		List<String> alts = new ArrayList<>();
		if (lo < 0) {
			// negative numbers: "-" then the magnitudes from max(1, -hi) to -lo
			long from = hi < 0 ? -hi : 1;
			for (String a : nonNegative(from, -lo)) {
				alts.add("\"-\" " + a);
			}
		}
		if (hi >= 0) {
			alts.addAll(nonNegative(Math.max(0, lo), hi));
		}
		return String.join(" | ", alts);
	}

	/** Alternatives for from..to, 0 <= from <= to, one group per digit count. */
	private static List<String> nonNegative(long from, long to) {
		List<String> alts = new ArrayList<>();
		String a = Long.toString(from), b = Long.toString(to);
		for (int len = a.length(); len <= Math.min(b.length(), MAX_DIGITS); len++) {
			String lo = len == a.length() ? a : "1" + "0".repeat(len - 1);
			String hi = len == b.length() ? b : "9".repeat(len);
			alts.addAll(sameLength(lo, hi));
		}
		return alts;
	}

	/** lo..hi, both of the same length. */
	private static List<String> sameLength(String lo, String hi) {
		List<String> out = new ArrayList<>();
		int n = lo.length();
		if (n == 0) {
			out.add("\"\"");
			return out;
		}
		if (lo.equals(hi)) {
			out.add("\"" + lo + "\"");
			return out;
		}
		if (lo.chars().skip(1).allMatch(c -> c == '0') && hi.chars().skip(1).allMatch(c -> c == '9')) {
			out.add(digits(lo.charAt(0), hi.charAt(0)) + any(n - 1));
			return out;
		}
		if (lo.charAt(0) == hi.charAt(0)) {
			for (String rest : sameLength(lo.substring(1), hi.substring(1))) {
				out.add("\"" + lo.charAt(0) + "\" " + rest);
			}
			return out;
		}
		for (String rest : sameLength(lo.substring(1), "9".repeat(n - 1))) {
			out.add("\"" + lo.charAt(0) + "\" " + rest);
		}
		if (hi.charAt(0) - lo.charAt(0) > 1) {
			out.add(digits((char) (lo.charAt(0) + 1), (char) (hi.charAt(0) - 1)) + any(n - 1));
		}
		for (String rest : sameLength("0".repeat(n - 1), hi.substring(1))) {
			out.add("\"" + hi.charAt(0) + "\" " + rest);
		}
		return out;
	}

	private static String digits(char from, char to) {
		return from == to ? "\"" + from + "\"" : "[" + from + "-" + to + "]";
	}

	private static String any(int n) {
		return n == 0 ? "" : n == 1 ? " [0-9]" : " [0-9]{" + n + "}";
	}
}
