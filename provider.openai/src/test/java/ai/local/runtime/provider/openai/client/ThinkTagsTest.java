package ai.local.runtime.provider.openai.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Usage;
import ai.local.runtime.testing.sink.RecordingSink;

class ThinkTagsTest {

	private static RecordingSink stream(String... pieces) {
		RecordingSink out = new RecordingSink();
		ThinkTags tags = new ThinkTags(out);
		for (String p : pieces) {
			tags.text(p);
		}
		tags.finish(FinishReason.STOP, Usage.NONE);
		return out;
	}

	@Test
	void thinkingAtTheStartIsReasoningWhereverTheTagsAreCut() {
		for (RecordingSink out : new RecordingSink[] { stream("<think>why</think>because"),
				stream("\n<thi", "nk>wh", "y</th", "ink>\n\nbec", "ause"), stream("<", "think", ">", "why", "<", "/", "think>",
						"because") }) {
			assertEquals("why", out.reasoning.toString());
			assertEquals("because", out.text.toString());
			assertEquals(1, out.finishes);
		}
	}

	@Test
	void textWithoutTheTagIsLeftAloneAndNotDelayed() {
		RecordingSink out = stream("Hello <think> is a tag", " fine");
		assertEquals("Hello <think> is a tag fine", out.text.toString());
		assertEquals("", out.reasoning.toString());
		assertEquals(2, out.pieces.size());
	}

	@Test
	void aCutOffThoughtIsStillReasoning() {
		RecordingSink out = stream("<think>unfinished </th");
		assertEquals("unfinished </th", out.reasoning.toString());
		assertEquals("", out.text.toString());
	}

	@Test
	void wholeReplies() {
		assertArrayEquals(new String[] { "a", "b" }, ThinkTags.split("<think>a</think>\n\nb"));
		assertArrayEquals(new String[] { null, "plain" }, ThinkTags.split("plain"));
		assertArrayEquals(new String[] { "cut", "" }, ThinkTags.split("<think>cut"));
	}
}
