package ai.local.runtime.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.RerankResult;

/** Ollama, Anthropic, Responses, completions and rerank bodies decode to the one request type. */
class DialectDecodersTest {

	private static byte[] b(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void ollamaToolResultsFindTheirCallsByName() {
		OllamaCall call = OllamaDecoder.chat(b("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
				+ "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"a\",\"arguments\":{\"x\":1}}},"
				+ "{\"function\":{\"name\":\"b\",\"arguments\":{}}}]},{\"role\":\"tool\",\"tool_name\":\"b\",\"content\":\"B\"},"
				+ "{\"role\":\"tool\",\"tool_name\":\"a\",\"content\":\"A\"}]}"));
		List<ChatMessage> m = call.request().messages();
		assertEquals("{\"x\":1}", m.get(1).toolCalls().get(0).arguments());
		assertEquals(m.get(1).toolCalls().get(1).id(), m.get(2).toolCallId());
		assertEquals(m.get(1).toolCalls().get(0).id(), m.get(3).toolCallId());
		assertTrue(call.stream(), "Ollama streams unless told not to");
		assertFalse(call.loadOnly());
	}

	@Test
	void ollamaOptionsFormatThinkAndImages() {
		String png = java.util.Base64.getEncoder().encodeToString(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 });
		OllamaCall call = OllamaDecoder.chat(b("{\"model\":\"m\",\"stream\":false,\"think\":false,\"keep_alive\":\"10m\","
				+ "\"format\":{\"type\":\"object\"},\"options\":{\"num_predict\":-1,\"temperature\":0.1,\"stop\":[\"x\"]},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"see\",\"images\":[\"" + png + "\"]}]}"));
		ChatRequest r = call.request();
		assertNull(r.sampling().maxTokens(), "-1: until the model stops");
		assertEquals(0.1, r.sampling().temperature());
		assertEquals(List.of("x"), r.sampling().stop());
		assertEquals(ResponseFormat.Type.JSON_SCHEMA, r.responseFormat().type());
		assertEquals(Reasoning.NONE, Reasoning.effort(r));
		assertEquals("10m", r.extra().get("keep_alive"));
		assertTrue(r.messages().get(0).content().get(0).url().startsWith("data:image/png;base64,"));
		assertThrows(ApiException.class, () -> OllamaDecoder.chat(b("{\"model\":\"m\",\"think\":\"max\"}")));
		assertTrue(OllamaDecoder.chat(b("{\"model\":\"m\",\"messages\":[]}")).loadOnly());
	}

	@Test
	void ollamaGenerateIsAChatTurnUnlessRawOrSuffix() {
		OllamaCall chat = OllamaDecoder.generate(b("{\"model\":\"m\",\"prompt\":\"hi\",\"system\":\"s\"}"));
		assertNull(chat.completion());
		assertEquals(2, chat.request().messages().size());
		OllamaCall fim = OllamaDecoder.generate(b("{\"model\":\"m\",\"prompt\":\"def f(\",\"suffix\":\")\"}"));
		assertEquals(")", fim.completion().suffix());
		assertTrue(fim.completion().infill());
		OllamaCall raw = OllamaDecoder.generate(b("{\"model\":\"m\",\"prompt\":\"[INST] x [/INST]\",\"raw\":true}"));
		assertFalse(raw.completion().infill());
		assertEquals("[INST] x [/INST]", raw.completion().prompt());
	}

	@Test
	void anthropicThinkingBudgetsAreEfforts() {
		assertEquals("low", effort("{\"type\":\"enabled\",\"budget_tokens\":1024}"));
		assertEquals("medium", effort("{\"type\":\"enabled\",\"budget_tokens\":8000}"));
		assertEquals("high", effort("{\"type\":\"enabled\",\"budget_tokens\":32000}"));
		assertEquals(Reasoning.NONE, effort("{\"type\":\"disabled\"}"));
		assertThrows(ApiException.class, () -> effort("{\"type\":\"sometimes\"}"));
		AnthropicCall call = AnthropicCodec.decode(b("{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"auto\","
				+ "\"disable_parallel_tool_use\":true},\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"},"
				+ "{\"name\":\"add\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":"
				+ "[{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}"));
		assertEquals(1, call.request().tools().size(), "Anthropic's hosted tools do not run here");
		assertEquals(Boolean.FALSE, call.request().parallelToolCalls());
	}

	private static String effort(String thinking) {
		return Reasoning.effort(AnthropicCodec.decode(b("{\"model\":\"m\",\"max_tokens\":5,\"thinking\":" + thinking
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).request());
	}

	@Test
	void responsesReasoningAndMcpTools() {
		ResponsesCall call = ResponsesCodec.decode(b("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"low\"},"
				+ "\"tools\":[{\"type\":\"mcp\",\"server_label\":\"fs\",\"server_url\":\"http://evil\",\"allowed_tools\":"
				+ "[\"read\"]},{\"type\":\"mcp\",\"server_label\":\"git\"},{\"type\":\"mcp\",\"server_label\":\"x\","
				+ "\"allowed_tools\":{\"tool_names\":[\"a\",\"b\"]}}]}"));
		assertEquals("low", Reasoning.effort(call.request()));
		assertEquals(List.of("read"), call.mcp().get(0).allowedTools());
		assertNull(call.mcp().get(1).allowedTools(), "all of git's tools");
		assertEquals(List.of("a", "b"), call.mcp().get(2).allowedTools());
	}

	@Test
	void completionsTakePromptsAndLlamaServersFields() {
		CompletionCall openAi = CompletionCodec.openAi(b("{\"model\":\"m\",\"prompt\":[\"p\"],\"suffix\":\"s\",\"echo\":true}"));
		assertEquals("p", openAi.request().prompt());
		assertTrue(openAi.echo());
		CompletionCall two = CompletionCodec.openAi(b("{\"model\":\"m\",\"prompt\":[\"a\",[1,2]],\"max_tokens\":3}"));
		assertEquals("a", two.requests().get(0).prompt());
		assertEquals(List.of(1, 2), two.requests().get(1).promptTokens());
		assertEquals(3, two.requests().get(1).sampling().maxTokens());
		assertThrows(ApiException.class, () -> CompletionCodec.openAi(b("{\"model\":\"m\",\"prompt\":[\"a\",\"b\"],"
				+ "\"stream\":true}")), "a stream takes one prompt");
		assertThrows(ApiException.class, () -> CompletionCodec.openAi(b("{\"model\":\"m\",\"prompt\":[\"a\",3]}")));
		assertThrows(ApiException.class, () -> CompletionCodec.openAi(b("{\"model\":\"m\",\"prompt\":"
				+ "[\"a\",\"b\",\"c\"]".replace("\"c\"", "\"c\"" + ",\"x\"".repeat(CompletionCodec.MAX_PROMPTS)) + "}")));
		CompletionCall infill = CompletionCodec.llama(b("{\"input_prefix\":\"a\",\"input_suffix\":\"b\",\"n_predict\":7,"
				+ "\"input_extra\":[{\"filename\":\"f.py\",\"text\":\"x\"}]}"), true);
		assertEquals(List.of("f.py\nx"), infill.request().extraContext());
		assertEquals(7, infill.request().sampling().maxTokens());
		assertEquals("", infill.request().model(), "llama-server's default model");
	}

	@Test
	void rerankResultsAreSortedAndCut() {
		RerankCodec.RerankCall call = RerankCodec.decode(b("{\"model\":\"r\",\"query\":\"q\",\"documents\":[\"a\","
				+ "{\"text\":\"b\"},\"c\"],\"top_n\":2}"));
		ObjectNode out = RerankCodec.encode("id", "r", call, new RerankResult(new double[] { 0.1, 0.9, 0.5 }, 12));
		assertEquals(2, out.get("results").size());
		assertEquals(1, out.at("/results/0/index").asInt());
		assertEquals("b", out.at("/results/0/document/text").asText());
		assertEquals(2, out.at("/results/1/index").asInt());
		assertEquals(12, out.at("/usage/total_tokens").asInt());
		assertThrows(ApiException.class, () -> RerankCodec.decode(b("{\"model\":\"r\",\"query\":\"q\",\"documents\":[]}")));
	}
}
