package ai.local.runtime.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IdsTest {

	@Test
	void idsAreThePrefixAndTwentyFourAlphanumericsNeverRepeated() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 20_000; i++) {
			for (String id : new String[] { Ids.secret("sess_"), Ids.next("sess_") }) {
				assertTrue(id.matches("sess_[A-Za-z0-9]{24}"), id);
				assertTrue(seen.add(id), "repeated " + id);
			}
		}
	}

	@Test
	void everyCharacterIsAboutEquallyLikely() {
		int[] counts = new int[128];
		int ids = 20_000;
		for (int i = 0; i < ids; i++) {
			for (char c : (Ids.secret("") + Ids.next("")).toCharArray()) {
				counts[c]++;
			}
		}
		double expected = ids * 48 / 62.0;
		int used = 0;
		for (int count : counts) {
			if (count > 0) {
				used++;
				// 15480 expected per character; a skewed mapping (e.g. modulo bias) is off by far more than 6%
				assertTrue(Math.abs(count - expected) < expected * 0.06, count + " vs " + expected);
			}
		}
		assertEquals(62, used);
	}
}
