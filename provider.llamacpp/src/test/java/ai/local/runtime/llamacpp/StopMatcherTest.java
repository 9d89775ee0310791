package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class StopMatcherTest {

	@Test
	void holdsBackAPossibleStartAndCutsAtTheStop() {
		StopMatcher m = new StopMatcher(List.of("END"));
		assertEquals("abc ", m.accept("abc E"));
		assertEquals("", m.accept("N"));
		assertEquals("", m.accept("D and more"));
		assertTrue(m.stopped());
		assertEquals("", m.accept("later"));
	}

	@Test
	void releasesHeldTextWhenItIsNotAStop() {
		StopMatcher m = new StopMatcher(List.of("END", "\n\n"));
		assertEquals("x", m.accept("xE"));
		assertEquals("EN!", m.accept("N!"));
		assertEquals("a", m.accept("a\n"));
		assertEquals("\nb", m.accept("b"));
		assertFalse(m.stopped());
		assertEquals("", m.flush());
	}
}
