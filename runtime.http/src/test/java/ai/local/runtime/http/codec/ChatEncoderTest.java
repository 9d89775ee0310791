package ai.local.runtime.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

class ChatEncoderTest {

	@Test
	void toolCallDeltasFollowTheWireRules() {
		ChatEncoder enc = new ChatEncoder("m", false);
		JsonNode first = enc.toolCallChunk(ToolCallDelta.start(0, "call_1", "add")).at("/choices/0/delta/tool_calls/0");
		assertEquals(0, first.get("index").asInt());
		assertEquals("call_1", first.get("id").asText());
		assertEquals("function", first.get("type").asText());
		assertEquals("add", first.at("/function/name").asText());
		assertEquals("", first.at("/function/arguments").asText());

		JsonNode next = enc.toolCallChunk(ToolCallDelta.arguments(0, "{\"a\":")).at("/choices/0/delta/tool_calls/0");
		assertEquals("{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}", Json.string(next),
				"continuations: index and arguments only, never an empty id");
	}

	@Test
	void everyChunkSharesIdCreatedAndModel() {
		ChatEncoder enc = new ChatEncoder("ollama:qwen", true);
		List<JsonNode> chunks = List.of(enc.roleChunk(), enc.textChunk("x"), enc.finishChunk(FinishReason.STOP),
				enc.usageChunk(new Usage(3, 4)));
		for (JsonNode c : chunks) {
			assertEquals(enc.id(), c.get("id").asText());
			assertEquals("ollama:qwen", c.get("model").asText());
			assertEquals(chunks.get(0).get("created"), c.get("created"));
			assertEquals("chat.completion.chunk", c.get("object").asText());
			assertTrue(c.has("usage"));
		}
		assertTrue(chunks.get(1).get("usage").isNull());
		assertEquals(0, chunks.get(3).get("choices").size());
		assertEquals(7, chunks.get(3).at("/usage/total_tokens").asInt());
		assertFalse(new ChatEncoder("m", false).textChunk("x").has("usage"));
	}

	@Test
	void cachedTokensAndTheModelsTimesAreReportedAsLlamaServerAndEachDialectDo() {
		Usage usage = new Usage(120, 10, 100, 40_000_000L, 250_000_000L);
		ChatEncoder enc = new ChatEncoder("m", false);
		JsonNode whole = enc.completion(new ChatResult(ChatMessage.assistant("x", List.of()), FinishReason.STOP, usage));
		assertEquals(100, whole.at("/usage/prompt_tokens_details/cached_tokens").asInt());
		JsonNode t = whole.get("timings");
		assertEquals(100, t.get("cache_n").asInt());
		assertEquals(20, t.get("prompt_n").asInt());
		assertEquals(40.0, t.get("prompt_ms").asDouble(), 1e-9);
		assertEquals(2.0, t.get("prompt_per_token_ms").asDouble(), 1e-9);
		assertEquals(500.0, t.get("prompt_per_second").asDouble(), 1e-9);
		assertEquals(10, t.get("predicted_n").asInt());
		assertEquals(250.0, t.get("predicted_ms").asDouble(), 1e-9);
		assertEquals(40.0, t.get("predicted_per_second").asDouble(), 1e-9);
		// streamed: on the last chunk only
		assertTrue(enc.finishChunk(FinishReason.STOP, usage).has("timings"));
		ChatEncoder withUsage = new ChatEncoder("m", true);
		assertFalse(withUsage.finishChunk(FinishReason.STOP, usage).has("timings"));
		assertTrue(withUsage.usageChunk(usage).has("timings"));
		// a provider that measured nothing: no timings, cached 0
		JsonNode plain = enc.completion(new ChatResult(ChatMessage.assistant("x", List.of()), FinishReason.STOP, new Usage(5, 1)));
		assertFalse(plain.has("timings"));
		assertEquals(0, plain.at("/usage/prompt_tokens_details/cached_tokens").asInt());

		JsonNode anthropic = AnthropicCodec.usage(usage);
		assertEquals(20, anthropic.get("input_tokens").asInt(), "Anthropic counts the cached part apart");
		assertEquals(100, anthropic.get("cache_read_input_tokens").asInt());
		assertEquals(0, anthropic.get("cache_creation_input_tokens").asInt());
		assertEquals(10, anthropic.get("output_tokens").asInt());
		assertEquals(new Usage(240, 20, 200, 80_000_000L, 500_000_000L), usage.plus(usage));
		assertEquals(5, new Usage(5, 1, 9, -1, 0).cachedTokens(), "never more cached than the prompt");
	}

	@Test
	void aToolOnlyAnswerHasNullContentAndStringArguments() {
		JsonNode c = new ChatEncoder("m", false).completion(new ChatResult(
				ChatMessage.assistant(null, List.of(new ToolCall("c", "f", "{\"x\":1}"))), FinishReason.TOOL_CALLS,
				new Usage(1, 2)));
		assertTrue(c.at("/choices/0/message/content").isNull());
		assertEquals("{\"x\":1}", c.at("/choices/0/message/tool_calls/0/function/arguments").asText());
		assertEquals("tool_calls", c.at("/choices/0/finish_reason").asText());
	}

	@Test
	void reasoningIsReasoningContentBesideTheAnswer() {
		ChatEncoder enc = new ChatEncoder("m", false);
		JsonNode delta = enc.reasoningChunk("hmm").at("/choices/0/delta");
		assertEquals("{\"reasoning_content\":\"hmm\"}", delta.toString());
		JsonNode message = enc.completion(new ChatResult(ChatMessage.assistant("4", List.of()), FinishReason.STOP,
				new Usage(1, 2), Map.of(), "2+2 is 4")).at("/choices/0/message");
		assertEquals("4", message.get("content").asText());
		assertEquals("2+2 is 4", message.get("reasoning_content").asText());
		assertTrue(enc.completion(new ChatResult(ChatMessage.assistant("4", List.of()), FinishReason.STOP,
				new Usage(1, 2))).at("/choices/0/message").path("reasoning_content").isMissingNode(),
				"no reasoning, no field");
	}

	@Test
	void errorsInBothDialects() {
		ApiException e = ApiException.invalidRequest("bad", "messages[0]");
		assertEquals("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":\"messages[0]\","
				+ "\"code\":null}}", Json.string(ErrorEncoder.openAi(e)));
		assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}",
				Json.string(ErrorEncoder.anthropic(e)));
		assertEquals("overloaded_error", ErrorEncoder.anthropic(ApiException.unavailable("x", null)).at("/error/type")
				.asText());
		assertTrue(ErrorType.INVALID_REQUEST.permanent());
		assertFalse(ErrorType.RATE_LIMIT.permanent());
		assertFalse(ErrorType.UPSTREAM.permanent());
	}

	@Test
	void base64IsLittleEndianFloat32() {
		assertEquals("AACAPwAAAMA=", EmbeddingCodec.base64(new float[] { 1f, -2f }));
	}
}
