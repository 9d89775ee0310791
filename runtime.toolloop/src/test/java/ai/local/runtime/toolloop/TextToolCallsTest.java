package ai.local.runtime.toolloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TextToolCallsTest {
	private static final Set<String> ALLOWED = Set.of("add", "search");

	private static List<TextToolCalls.Found> calls(String text) {
		return TextToolCalls.parse(text, ALLOWED).calls();
	}

	@Test
	void hermesTags() {
		TextToolCalls.Parsed p = TextToolCalls.parse("Let me add.\n<tool_call>\n{\"name\": \"add\", \"arguments\": "
				+ "{\"a\": 2, \"b\": 3}}\n</tool_call>\n<tool_call>{\"name\":\"search\",\"arguments\":{\"q\":\"x\"}}</tool_call>",
				ALLOWED);
		assertEquals(List.of(new TextToolCalls.Found("add", "{\"a\":2,\"b\":3}"),
				new TextToolCalls.Found("search", "{\"q\":\"x\"}")), p.calls());
		assertEquals("Let me add.", p.text());
	}

	@Test
	void unterminatedTagAtTheEndOfAStream() {
		assertEquals(List.of(new TextToolCalls.Found("add", "{\"a\":1}")),
				calls("<tool_call>{\"name\":\"add\",\"arguments\":{\"a\":1}}"));
	}

	@Test
	void mistralLlamaAndFunctionTags() {
		assertEquals(List.of(new TextToolCalls.Found("add", "{\"a\":1}")),
				calls("[TOOL_CALLS] [{\"name\": \"add\", \"arguments\": {\"a\": 1}}]"));
		assertEquals(List.of(new TextToolCalls.Found("add", "{\"a\":1}")),
				calls("<|python_tag|>{\"name\": \"add\", \"parameters\": {\"a\": 1}}"));
		assertEquals(List.of(new TextToolCalls.Found("search", "{\"q\":\"cats\"}")),
				calls("<function=search>{\"q\": \"cats\"}</function>"));
	}

	@Test
	void bareAndFencedJsonInTheShapesModelsWrite() {
		assertEquals(List.of(new TextToolCalls.Found("add", "{\"a\":1}")), calls("{\"name\":\"add\",\"arguments\":{\"a\":1}}"));
		assertEquals(List.of(new TextToolCalls.Found("add", "{\"a\":1}")),
				calls("```json\n{\"tool\": \"add\", \"args\": {\"a\": 1}}\n```"));
		assertEquals(List.of(new TextToolCalls.Found("add", "{\"a\":1}")),
				calls("{\"tool_calls\": [{\"function\": {\"name\": \"add\", \"arguments\": \"{\\\"a\\\": 1}\"}}]}"),
				"OpenAI's shape with string arguments");
		assertEquals(2, calls("[{\"name\":\"add\",\"arguments\":{}},{\"name\":\"search\",\"input\":{}}]").size());
	}

	@Test
	void ordinaryAnswersStayAnswers() {
		assertTrue(calls("The answer is 5.").isEmpty());
		assertTrue(calls("{\"answer\": 42}").isEmpty(), "JSON that is not a call");
		assertTrue(calls("{\"name\": \"Alice\", \"arguments\": \"none\"}").isEmpty(), "names no allowed tool");
		assertTrue(calls("[{\"name\":\"add\",\"arguments\":{}}, {\"name\": \"Bob\"}]").isEmpty(),
				"a list that is not wholly calls");
		assertEquals("The answer is 5.", TextToolCalls.parse(" The answer is 5. ", ALLOWED).text());
	}

	@Test
	void holdBackOnlyWhatMayStillBecomeACall() {
		assertTrue(TextToolCalls.mayBeCall(""));
		assertTrue(TextToolCalls.mayBeCall("  <tool"));
		assertTrue(TextToolCalls.mayBeCall("[TOOL_"));
		assertTrue(TextToolCalls.mayBeCall("{\"na"));
		assertFalse(TextToolCalls.mayBeCall("The"));
		assertFalse(TextToolCalls.mayBeCall("<b>bold"));
	}
}
