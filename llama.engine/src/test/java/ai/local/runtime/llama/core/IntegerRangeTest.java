package ai.local.runtime.llama.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The range rules, read as regular expressions, accept exactly the integers in the range (checked around it). */
class IntegerRangeTest {

	@ParameterizedTest
	@CsvSource({ "1,9", "0,99", "-5,5", "-123,-7", "17,4321", "0,0", "100,100", "-1000,999", "999,1001", "45,", ",12" })
	void matchesExactlyTheRange(String min, String max) {
		Long lo = min == null ? null : Long.valueOf(min);
		Long hi = max == null ? null : Long.valueOf(max);
		Pattern p = Pattern.compile(regex(IntegerRange.of(lo, hi)));
		long from = (lo == null ? hi : lo) - 1200, to = (hi == null ? lo : hi) + 1200;
		for (long v = from; v <= to; v++) {
			boolean inside = (lo == null || v >= lo) && (hi == null || v <= hi);
			assertEquals(inside, p.matcher(Long.toString(v)).matches(), v + " against [" + min + ", " + max + "]");
		}
		assertEquals(false, p.matcher("-0").matches() || p.matcher("007").matches(), "no leading zeros, no negative zero");
	}

	/** GBNF alternatives of literals, classes and counted repetition to Java regex. */
	private static String regex(String gbnf) {
		StringBuilder b = new StringBuilder("(?:");
		for (String alt : gbnf.split(" \\| ")) {
			b.append("(?:");
			for (String part : alt.trim().split(" ")) {
				b.append(part.startsWith("\"") ? Pattern.quote(part.substring(1, part.length() - 1)) : part);
			}
			b.append(")|");
		}
		b.setLength(b.length() - 1);
		return b.append(")").toString();
	}
}
