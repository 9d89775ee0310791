package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ResultCollector;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.Usage;

/**
 * Each model's own output syntax, fed in pieces cut at every possible place (as tokens cut it), becomes the
 * same reasoning, text and tool calls.
 */
class ModelOutputTest {
	private static final Map<String, JsonNode> SCHEMAS = Map.of("get_weather", schema());

	private static JsonNode schema() {
		try {
			return Json.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
					+ "\"days\":{\"type\":\"integer\"}}}");
		} catch (java.io.IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The result of parsing {@code output} cut into pieces at random places, checked the same for 30 cuts. */
	private static ChatResult parse(ToolSyntax syntax, String template, boolean opensThink, String output) {
		ChatResult first = null;
		Random random = new Random(7);
		for (int round = 0; round < 30; round++) {
			ResultCollector sink = new ResultCollector();
			String[] think = ToolSyntax.thinkTags(template);
			ModelOutput out = new ModelOutput(sink, syntax, new ToolCallScanner(syntax, SCHEMAS), think, opensThink,
					syntax == ToolSyntax.HARMONY, true);
			int i = 0;
			while (i < output.length()) {
				int n = round == 0 ? 1 : 1 + random.nextInt(6);
				out.accept(output.substring(i, Math.min(output.length(), i + n)));
				i += n;
			}
			out.end();
			sink.finish(out.calls() > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP, new Usage(1, 1));
			ChatResult r = sink.result();
			if (first == null) {
				first = r;
			} else {
				assertEquals(describe(first), describe(r), "cut differently, parsed differently");
			}
		}
		return first;
	}

	private static String text(ChatResult r) {
		return r.message().text();
	}

	private static String reasoning(ChatResult r) {
		return r.reasoning() == null ? "" : r.reasoning();
	}

	private static List<ToolCall> calls(ChatResult r) {
		return r.message().toolCalls();
	}

	private static String describe(ChatResult r) {
		return text(r) + "|" + reasoning(r) + "|" + calls(r).stream().map(c -> c.name() + c.arguments()).toList();
	}

	private static void assertCall(ToolCall c, String name, String arguments) throws Exception {
		assertEquals(name, c.name());
		assertEquals(Json.MAPPER.readTree(arguments), Json.MAPPER.readTree(c.arguments()));
		assertTrue(c.id().startsWith("call_"));
	}

	@Test
	void hermesCallsAfterText() throws Exception {
		ChatResult r = parse(ToolSyntax.HERMES, "<tool_call>", false, "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", "
				+ "\"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_weather\", "
				+ "\"arguments\": {\"city\": \"Tokyo\"}}\n</tool_call>");
		assertEquals("Let me check.\n", text(r));
		assertEquals(2, calls(r).size());
		assertCall(calls(r).get(0), "get_weather", "{\"city\": \"Paris\", \"days\": 2}");
		assertCall(calls(r).get(1), "get_weather", "{\"city\": \"Tokyo\"}");
	}

	@Test
	void qwen3ThinksThenCalls() throws Exception {
		String template = "<think>\n\n</think> <tool_call>";
		ChatResult r = parse(ToolSyntax.HERMES, template, false, "<think>\nThe user wants weather.\n</think>\n\n"
				+ "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
		assertEquals("\nThe user wants weather.\n", reasoning(r));
		assertEquals("", text(r));
		assertCall(calls(r).get(0), "get_weather", "{\"city\": \"Paris\"}");
	}

	@Test
	void aThinkBlockTheTemplateOpenedAndOneLeftOpen() {
		ChatResult opened = parse(null, "<think>", true, "pondering</think>\n\nThe answer is 4.");
		assertEquals("pondering", reasoning(opened));
		assertEquals("The answer is 4.", text(opened));
		ChatResult unclosed = parse(null, "<think>", false, "<think>still thinking when the budget ran out");
		assertEquals("still thinking when the budget ran out", reasoning(unclosed));
		assertEquals("", text(unclosed));
		ChatResult plain = parse(null, "<think>", false, "No tags <b>here</b> < think.");
		assertEquals("No tags <b>here</b> < think.", text(plain));
	}

	@Test
	void qwen3CoderXmlParametersAreTypedBySchema() throws Exception {
		ChatResult r = parse(ToolSyntax.QWEN3_CODER, "<function=", false, "<tool_call>\n<function=get_weather>\n"
				+ "<parameter=city>\nNew York\n</parameter>\n<parameter=days>\n3\n</parameter>\n</function>\n</tool_call>");
		assertCall(calls(r).get(0), "get_weather", "{\"city\": \"New York\", \"days\": 3}");
	}

	@Test
	void glmArgumentPairs() throws Exception {
		ChatResult r = parse(ToolSyntax.GLM, "<arg_key>", false, "<tool_call>get_weather\n<arg_key>city</arg_key>\n"
				+ "<arg_value>Paris</arg_value>\n<arg_key>days</arg_key>\n<arg_value>2</arg_value>\n</tool_call>");
		assertCall(calls(r).get(0), "get_weather", "{\"city\": \"Paris\", \"days\": 2}");
	}

	@Test
	void llama3JsonAnswerAndPythonTag() throws Exception {
		ChatResult r = parse(ToolSyntax.LLAMA3, "", false, "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}");
		assertCall(calls(r).get(0), "get_weather", "{\"city\": \"Paris\"}");
		assertEquals("", text(r));
		ChatResult tagged = parse(ToolSyntax.LLAMA3, "", false, "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}");
		assertCall(calls(tagged).get(0), "get_weather", "{\"city\": \"Oslo\"}");
		ChatResult text = parse(ToolSyntax.LLAMA3, "", false, "It is {sunny}.");
		assertEquals("It is {sunny}.", text(text));
		assertTrue(calls(text).isEmpty());
	}

	@Test
	void mistralBothForms() throws Exception {
		ChatResult array = parse(ToolSyntax.MISTRAL, "", false, "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}, "
				+ "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Nice\"}}]");
		assertEquals(2, calls(array).size());
		assertCall(calls(array).get(1), "get_weather", "{\"city\": \"Nice\"}");
		ChatResult args = parse(ToolSyntax.MISTRAL, "", false, "[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Rome\"}");
		assertCall(calls(args).get(0), "get_weather", "{\"city\": \"Rome\"}");
		ChatResult ids = parse(ToolSyntax.MISTRAL, "", false, "[TOOL_CALLS]get_weather[CALL_ID]a1b2c3d4e[ARGS]{\"city\": \"Rome\"}"
				+ "[TOOL_CALLS]get_weather[CALL_ID]f5g6h7i8j[ARGS]{\"city\": \"Pisa\"}");
		assertEquals(2, calls(ids).size());
		assertCall(calls(ids).get(1), "get_weather", "{\"city\": \"Pisa\"}");
	}

	@Test
	void deepSeekR1AndV31() throws Exception {
		ChatResult r1 = parse(ToolSyntax.DEEPSEEK, "<think>", false, "<think>hmm</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function"
				+ "<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"Paris\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>");
		assertEquals("hmm", reasoning(r1));
		assertCall(calls(r1).get(0), "get_weather", "{\"city\": \"Paris\"}");
		ChatResult v31 = parse(ToolSyntax.DEEPSEEK, "", false, "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>"
				+ "{\"city\": \"Lima\"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>");
		assertCall(calls(v31).get(0), "get_weather", "{\"city\": \"Lima\"}");
	}

	@Test
	void graniteAndCommandR() throws Exception {
		ChatResult g = parse(ToolSyntax.GRANITE, "", false, "<|tool_call|>[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Bern\"}}]");
		assertCall(calls(g).get(0), "get_weather", "{\"city\": \"Bern\"}");
		ChatResult c = parse(ToolSyntax.COMMAND_R, "<|START_THINKING|>", false, "<|START_THINKING|>plan<|END_THINKING|>"
				+ "<|START_ACTION|>[{\"tool_call_id\": \"0\", \"tool_name\": \"get_weather\", \"parameters\": {\"city\": \"Kyiv\"}}]<|END_ACTION|>");
		assertEquals("plan", reasoning(c));
		assertCall(calls(c).get(0), "get_weather", "{\"city\": \"Kyiv\"}");
	}

	@Test
	void harmonyChannels() throws Exception {
		ChatResult answer = parse(ToolSyntax.HARMONY, "<|channel|>", false,
				"<|channel|>analysis<|message|>Simple sum.<|end|><|start|>assistant<|channel|>final<|message|>2 + 2 = 4<|return|>");
		assertEquals("Simple sum.", reasoning(answer));
		assertEquals("2 + 2 = 4", text(answer));
		ChatResult call = parse(ToolSyntax.HARMONY, "<|channel|>", false, "<|channel|>analysis<|message|>Need weather.<|end|>"
				+ "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\": \"Paris\"}<|call|>");
		assertEquals("Need weather.", reasoning(call));
		assertCall(calls(call).get(0), "get_weather", "{\"city\": \"Paris\"}");
		// <|call|> is an end-of-generation token: the output may end right after the arguments
		ResultCollector sink = new ResultCollector();
		ModelOutput out = new ModelOutput(sink, ToolSyntax.HARMONY, new ToolCallScanner(ToolSyntax.HARMONY, SCHEMAS), null,
				false, true, true);
		out.accept(" to=functions.get_weather<|channel|>commentary json<|message|>{\"city\": \"Oslo\"}");
		out.end();
		assertTrue(out.callsComplete());
		assertEquals(1, out.calls());
	}

	@Test
	void aCallCutByTheTokenLimitIsNotComplete() {
		ResultCollector sink = new ResultCollector();
		ModelOutput out = new ModelOutput(sink, ToolSyntax.HERMES, new ToolCallScanner(ToolSyntax.HERMES, SCHEMAS), null,
				false, false, true);
		out.accept("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Par");
		out.end();
		assertFalse(out.callsComplete());
		assertEquals(1, out.calls());
	}

	@Test
	void streamedDeltasStartWithTheNameThenArgumentFragments() {
		List<String> events = new ArrayList<>();
		ResultCollector sink = new ResultCollector() {
			@Override
			public void toolCall(ai.local.runtime.api.ToolCallDelta d) {
				events.add(d.name() != null ? "start:" + d.name() : "args:" + d.arguments());
				super.toolCall(d);
			}
		};
		ModelOutput out = new ModelOutput(sink, ToolSyntax.HERMES, new ToolCallScanner(ToolSyntax.HERMES, SCHEMAS), null,
				false, false, true);
		for (String piece : List.of("<tool", "_call>\n{\"name\": \"get_", "weather\", \"arguments\": {\"ci", "ty\": \"Paris\"}", "}\n</tool_call>")) {
			out.accept(piece);
		}
		out.end();
		assertEquals("start:get_weather", events.get(0));
		assertTrue(events.size() >= 3, events.toString());
		assertEquals("{\"city\": \"Paris\"}", String.join("", events.subList(1, events.size()).stream().map(e -> e.substring(5)).toList()));
	}
}
