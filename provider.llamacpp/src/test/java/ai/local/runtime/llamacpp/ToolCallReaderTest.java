package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.testing.sink.RecordingSink;

class ToolCallReaderTest {

	private static RecordingSink feedByCharacter(String output) {
		RecordingSink r = new RecordingSink();
		ToolCallReader reader = new ToolCallReader(r);
		for (int i = 0; i < output.length(); i++) {
			reader.accept(output.substring(i, i + 1));
		}
		return r;
	}

	@Test
	void toolCallsStreamAsStartThenArgumentFragments() {
		String out = "{ \"tool_calls\": [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Pa}ris\", \"n\": [1, 2]}} ,"
				+ " {\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}] }";
		RecordingSink r = feedByCharacter(out);
		List<ToolCallDelta> starts = r.calls.stream().filter(ToolCallDelta::isStart).toList();
		assertEquals(List.of("get_weather", "get_time"), starts.stream().map(ToolCallDelta::name).toList());
		assertEquals(List.of(0, 1), starts.stream().map(ToolCallDelta::index).toList());
		assertTrue(starts.get(0).id().matches("call_[A-Za-z0-9]{24}"));
		StringBuilder first = new StringBuilder(), second = new StringBuilder();
		for (ToolCallDelta d : r.calls) {
			if (!d.isStart()) {
				(d.index() == 0 ? first : second).append(d.arguments());
			}
		}
		assertEquals("{\"city\": \"Pa}ris\", \"n\": [1, 2]}", first.toString());
		assertEquals("{\"zone\": \"CET\"}", second.toString());
		assertEquals("", r.text.toString());
	}

	@Test
	void aResponseBecomesTextWithEscapesDecodedAcrossPieces() {
		RecordingSink r = feedByCharacter("{\"response\": \"Hi \\\"you\\\"\\n\\u00e9t\\u00e9!\"}");
		assertEquals("Hi \"you\"\n\u00e9t\u00e9!", r.text.toString());
		assertTrue(r.calls.isEmpty());
	}

	@Test
	void aDocumentCutInsideTheArgumentsIsNotComplete() {
		String whole = "{\"tool_calls\": [{\"name\": \"f\", \"arguments\": {\"text\": \"a } ] long value\"}}]}";
		for (int cut = 0; cut < whole.length(); cut++) {
			ToolCallReader reader = new ToolCallReader(new RecordingSink());
			reader.accept(whole.substring(0, cut));
			assertFalse(reader.complete(), "cut at " + cut);
		}
		ToolCallReader reader = new ToolCallReader(new RecordingSink());
		reader.accept(whole + " ");
		assertTrue(reader.complete());
	}
}
