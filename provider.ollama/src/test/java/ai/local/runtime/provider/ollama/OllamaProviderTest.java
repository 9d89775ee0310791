package ai.local.runtime.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ProviderStatus;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.provider.openai.client.Upstream;
import ai.local.runtime.testing.sink.RecordingSink;
import ai.local.runtime.testing.upstream.FakeOllama;

class OllamaProviderTest {
	private final FakeOllama ollama = new FakeOllama(List.of("qwen2.5:latest", "nomic-embed-text:latest"));
	private final OllamaProvider provider = new OllamaProvider(new Upstream("ollama", ollama.url(), null, false,
			Duration.ofSeconds(2), Duration.ofSeconds(5), 8, List.of(), Duration.ofSeconds(10)),
			() -> new OllamaDefaults(8192, "10m"));

	@AfterEach
	void close() {
		provider.closeWhenIdle();
		ollama.close();
	}

	@Test
	void tagsAreTheModelsAndPsTheStatus() {
		assertEquals(List.of("qwen2.5:latest", "nomic-embed-text:latest"), provider.models().stream().map(m -> m.id()).toList());
		assertEquals("no model loaded", provider.status().detail());
		provider.chat(ChatRequest.of("qwen2.5:latest", List.of(ChatMessage.user("hi"))));
		assertEquals("no model loaded", provider.status().detail(), "/api/ps is asked at most every 2 s");
	}

	@Test
	void keepAliveZeroInARequestUnloadsAfterIt() throws InterruptedException {
		provider.chat(ChatRequest.of("qwen2.5:latest", List.of(ChatMessage.user("hi"))));
		assertEquals("loaded: qwen2.5:latest", provider.status().detail());
		provider.chat(new ChatRequest("qwen2.5:latest", List.of(), List.of(), null, null, null, null, null, null,
				Map.of("keep_alive", 0)));
		assertEquals(0, ollama.last("/api/chat").body().get("keep_alive").asInt(), "the request's keep_alive wins");
		Thread.sleep(2_100);
		assertEquals("no model loaded", provider.status().detail());
	}

	@Test
	void optionsFormatAndMessagesInOllamaShape() {
		ChatRequest r = new ChatRequest("qwen2.5:latest", List.of(ChatMessage.system("be brief"),
				new ChatMessage("developer", List.of(ContentPart.text("dev")), null, null, null),
				new ChatMessage("user", List.of(ContentPart.text("what is this"),
						ContentPart.image("data:image/png;base64,iVBORw0KGgo=", null)), null, null, null),
				ChatMessage.assistant(null, List.of(new ToolCall("call_1", "add", "{\"a\":1}"))),
				ChatMessage.tool("call_1", "3")),
				List.of(), null, null, ResponseFormat.JSON_OBJECT,
				new Sampling(0.1, 0.8, 0.02, 20, 50, 42L, List.of("\n\n"), 0.3, 0.4, 1.2), null, null,
				Map.of("num_ctx", 2048, "think", false));
		provider.chat(r);
		JsonNode sent = ollama.last("/api/chat").body();
		JsonNode o = sent.get("options");
		assertEquals(0.1, o.get("temperature").asDouble());
		assertEquals(0.8, o.get("top_p").asDouble());
		assertEquals(0.02, o.get("min_p").asDouble());
		assertEquals(20, o.get("top_k").asInt());
		assertEquals(42, o.get("seed").asInt());
		assertEquals("\n\n", o.get("stop").get(0).asText());
		assertEquals(50, o.get("num_predict").asInt());
		assertEquals(2048, o.get("num_ctx").asInt(), "the request's num_ctx wins over the configured one");
		assertEquals(1.2, o.get("repeat_penalty").asDouble());
		assertEquals("json", sent.get("format").asText());
		assertEquals("10m", sent.get("keep_alive").asText());
		assertEquals(false, sent.get("think").asBoolean(true));
		JsonNode m = sent.get("messages");
		assertEquals("system", m.get(1).get("role").asText());
		assertEquals("iVBORw0KGgo=", m.get(2).get("images").get(0).asText());
		assertEquals(1, m.get(3).get("tool_calls").get(0).get("function").get("arguments").get("a").asInt(),
				"arguments go to Ollama as an object");
		assertEquals("add", m.get(4).get("tool_name").asText());
	}

	@Test
	void streamedNdjsonBecomesDeltasWithUsage() {
		RecordingSink sink = new RecordingSink();
		provider.stream(ChatRequest.of("qwen2.5:latest", List.of(ChatMessage.user("one two"))), sink);
		assertEquals(List.of("Hello", " from", " qwen2.5:latest:", " one", " two"), sink.pieces);
		assertEquals(FinishReason.STOP, sink.finish);
		assertTrue(sink.usage.promptTokens() > 0 && sink.usage.completionTokens() == 5);
		assertEquals(23_456_789L, sink.usage.promptNanos(), "Ollama's prompt_eval_duration");
		assertEquals(345_678_901L, sink.usage.generationNanos(), "Ollama's eval_duration");
		assertEquals(8192, ollama.last("/api/chat").body().get("options").get("num_ctx").asInt());
	}

	@Test
	void thinkingWithThinkTrueComesAsReasoningApartFromTheAnswer() {
		ChatRequest thinking = new ChatRequest("qwen2.5:latest", List.of(ChatMessage.user("think it over")), List.of(),
				null, null, null, Sampling.DEFAULTS, null, null, Map.of("think", true));
		RecordingSink sink = new RecordingSink();
		provider.stream(thinking, sink);
		assertTrue(ollama.last("/api/chat").body().get("think").asBoolean(), "the client's think reaches Ollama");
		assertEquals("Thinking about: think it over", sink.reasoning.toString());
		assertEquals(0, sink.textPiecesBeforeReasoning);
		assertEquals("Hello from qwen2.5:latest: think it over", sink.text.toString());

		ChatResult whole = provider.chat(thinking);
		assertEquals("Thinking about: think it over", whole.reasoning());
		assertEquals("Hello from qwen2.5:latest: think it over", whole.message().text());
		assertNull(provider.chat(ChatRequest.of("qwen2.5:latest", List.of(ChatMessage.user("think it over"))))
				.reasoning(), "no thinking without think: true");

		// every dialect's reasoning effort is Ollama's think
		ChatRequest effort = new ChatRequest("qwen2.5:latest", List.of(ChatMessage.user("think it over")), List.of(),
				null, null, null, Sampling.DEFAULTS, null, null, Map.of("reasoning_effort", "high"));
		assertEquals("Thinking about: think it over", provider.chat(effort).reasoning());
		assertTrue(ollama.last("/api/chat").body().get("think").asBoolean());
		assertNull(ollama.last("/api/chat").body().get("reasoning_effort"));
		provider.chat(new ChatRequest("qwen2.5:latest", List.of(ChatMessage.user("x")), List.of(), null, null, null,
				Sampling.DEFAULTS, null, null, Map.of("reasoning_effort", "none")));
		assertEquals(false, ollama.last("/api/chat").body().get("think").asBoolean(true));
	}

	@Test
	void wholeToolCallsGetIndexIdAndJsonTextArguments() {
		ChatRequest r = new ChatRequest("qwen2.5:latest", List.of(ChatMessage.user("add twice")),
				List.of(new ToolDefinition("add", null, Map.of("type", "object"), false)), null, null, null, null, null,
				null, Map.of());
		RecordingSink sink = new RecordingSink();
		provider.stream(r, sink);
		assertEquals(FinishReason.TOOL_CALLS, sink.finish);
		assertEquals(4, sink.calls.size());
		ToolCallDelta first = sink.calls.get(0);
		assertEquals(0, first.index());
		assertTrue(first.id().startsWith("call_"));
		assertEquals("add", first.name());
		assertEquals("{\"a\":2,\"b\":3}", sink.calls.get(1).arguments());
		assertNull(sink.calls.get(1).id());
		assertEquals(1, sink.calls.get(2).index());
		assertTrue(!sink.calls.get(2).id().equals(first.id()));
		ChatResult whole = provider.chat(r);
		assertEquals(2, whole.message().toolCalls().size());
		assertEquals(FinishReason.TOOL_CALLS, whole.finishReason());
	}

	@Test
	void lengthLimitAndErrors() {
		ChatRequest r = new ChatRequest("qwen2.5:latest", List.of(ChatMessage.user("a b c d e f")), List.of(), null,
				null, null, new Sampling(null, null, null, null, 2, null, null, null, null, null), null, null, Map.of());
		assertEquals(FinishReason.LENGTH, provider.chat(r).finishReason());
		ApiException missing = assertThrows(ApiException.class,
				() -> provider.chat(ChatRequest.of("llama9", List.of(ChatMessage.user("x")))));
		assertEquals(ErrorType.NOT_FOUND, missing.type());
		assertTrue(missing.getMessage().contains("model 'llama9' not found"), missing.getMessage());
		ollama.garbled = true;
		assertEquals(ErrorType.UPSTREAM, assertThrows(ApiException.class,
				() -> provider.stream(ChatRequest.of("qwen2.5:latest", List.of(ChatMessage.user("x"))), new RecordingSink())).type());
		assertEquals(ErrorType.UPSTREAM, assertThrows(ApiException.class,
				() -> provider.chat(ChatRequest.of("qwen2.5:latest", List.of(ChatMessage.user("x"))))).type());
		ApiException remoteImage = assertThrows(ApiException.class, () -> provider.chat(new ChatRequest("qwen2.5:latest",
				List.of(new ChatMessage("user", List.of(ContentPart.image("https://x/y.png", null)), null, null, null)),
				List.of(), null, null, null, null, null, null, Map.of())));
		assertEquals(ErrorType.INVALID_REQUEST, remoteImage.type());
	}

	@Test
	void batchedEmbeddings() {
		var result = provider.embed(new EmbeddingRequest("nomic-embed-text:latest", List.of("a b", "c"), List.of(), 16, null));
		assertEquals(2, result.vectors().size());
		assertEquals(16, result.vectors().get(1).length);
		assertEquals(3, result.promptTokens());
		assertEquals(1, ollama.requests("/api/embed").size());
		ollama.stop();
		assertEquals(ProviderStatus.State.UNAVAILABLE, new OllamaProvider(provider.upstream(),
				() -> new OllamaDefaults(null, null)).status().state());
	}
}
