package ai.local.runtime.provider.openai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import ai.local.runtime.api.RerankResult;
import ai.local.runtime.api.RerankRequest;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.testing.sink.RecordingSink;
import ai.local.runtime.testing.upstream.FakeOpenAi;

class OpenAiCompatibleProviderTest {
	private final FakeOpenAi fake = new FakeOpenAi("/v1", List.of("m1", "m2"), false);
	private OpenAiCompatibleProvider provider = provider(fake.url() + "/v1", Duration.ofSeconds(5), null, false);

	private static OpenAiCompatibleProvider provider(String base, Duration read, String key, boolean forward) {
		return new OpenAiCompatibleProvider(new Upstream("up", base, key, forward, Duration.ofSeconds(2), read, 8,
				List.of(), Duration.ofSeconds(10)), EnumSet.of(Capability.CHAT));
	}

	@AfterEach
	void close() {
		provider.closeWhenIdle();
		fake.close();
	}

	private static ChatRequest ask(String model, String text) {
		return ChatRequest.of(model, List.of(ChatMessage.user(text)));
	}

	private static ChatRequest withTool(String text) {
		return new ChatRequest("m1", List.of(ChatMessage.user(text)),
				List.of(new ToolDefinition("add", "adds", Map.of("type", "object"), false)), null, null, null, null,
				null, null, Map.of());
	}

	@Test
	void textCompletionsAndRerankAreForwarded() {
		RecordingSink sink = new RecordingSink();
		provider.complete(new CompletionRequest("m1", "def f(", ")", List.of(), "x", Sampling.DEFAULTS, Map.of(), null),
				sink);
		assertEquals("Filled: def f(x|)", sink.text.toString());
		assertEquals(FinishReason.STOP, sink.finish);
		assertEquals(3, sink.usage.completionTokens());
		assertTrue(fake.last("/v1/completions").body().get("stream").asBoolean());

		provider.complete(new CompletionRequest("m1", "", null, List.of(), null, Sampling.DEFAULTS, Map.of(), null,
				List.of(1, 2, 3)), new RecordingSink());
		assertEquals("[1,2,3]", fake.last("/v1/completions").body().get("prompt").toString(), "token ids as sent");

		RerankResult r = provider.rerank(new RerankRequest("m1", "rain paris", List.of("pasta", "rain in paris", "rain"),
				null));
		assertEquals(0.0, r.scores()[0]);
		assertEquals(1.0, r.scores()[1]);
		assertEquals(0.5, r.scores()[2]);
		assertEquals(12, r.promptTokens());
	}

	@Test
	void reasoningEffortIsTheTemplatesSwitchForVllmAndKeepAliveStaysHome() {
		OpenAiCompatibleProvider vllm = new OpenAiCompatibleProvider(provider.upstream(), EnumSet.of(Capability.CHAT), true);
		Map<String, Object> extra = Map.of("reasoning_effort", "none", "keep_alive", "5m");
		vllm.chat(new ChatRequest("m1", List.of(ChatMessage.user("hi")), List.of(), null, null, null, null, null, null,
				extra));
		JsonNode sent = fake.last("/v1/chat/completions").body();
		assertEquals(false, sent.at("/chat_template_kwargs/enable_thinking").asBoolean(true));
		assertEquals("none", sent.get("reasoning_effort").asText());
		assertTrue(sent.get("keep_alive") == null, "keep_alive is the runtime's own");
		provider.chat(new ChatRequest("m1", List.of(ChatMessage.user("hi")), List.of(), null, null, null, null, null,
				null, extra));
		assertTrue(fake.last("/v1/chat/completions").body().get("chat_template_kwargs") == null,
				"a plain OpenAI-compatible server gets no template switch");
		provider.chat(new ChatRequest("m1", List.of(ChatMessage.user("hi")), List.of(), null, null, null, null, null,
				null, Map.of("top_logprobs", 2)));
		JsonNode asked = fake.last("/v1/chat/completions").body();
		assertTrue(asked.get("logprobs").asBoolean(), "OpenAI's chat wants logprobs: true beside top_logprobs");
		assertEquals(2, asked.get("top_logprobs").asInt());
		vllm.closeWhenIdle();
	}

	@Test
	void listsModelsOnceWithinTheCacheTime() {
		assertEquals(List.of("m1", "m2"), provider.models().stream().map(m -> m.id()).toList());
		provider.models();
		assertEquals(1, fake.requests("/v1/models").size());
	}

	@Test
	void wholeCompletionWithSamplingAndExtrasPassedThrough() {
		ChatRequest r = new ChatRequest("m1", List.of(ChatMessage.user("hi there")), List.of(), null, null, null,
				new Sampling(0.2, 0.9, 0.05, 40, 64, 7L, List.of("END"), null, null, 1.1), null, "u1",
				Map.of("skip_special_tokens", false));
		ChatResult result = provider.chat(r);
		assertEquals("Hello from m1: hi there", result.message().text());
		assertEquals(FinishReason.STOP, result.finishReason());
		assertTrue(result.usage().completionTokens() > 0);
		var sent = fake.last("/v1/chat/completions").body();
		assertEquals(40, sent.get("top_k").asInt());
		assertEquals(1.1, sent.get("repetition_penalty").asDouble());
		assertEquals(0.05, sent.get("min_p").asDouble());
		assertEquals(64, sent.get("max_tokens").asInt());
		assertEquals("END", sent.get("stop").get(0).asText());
		assertFalse(sent.get("skip_special_tokens").asBoolean(true));
		assertFalse(sent.get("stream").asBoolean());
	}

	@Test
	void streamRelaysEachChunkWithUsage() {
		RecordingSink sink = new RecordingSink();
		provider.stream(ask("m1", "one two three"), sink);
		assertEquals(List.of("Hello", " from", " m1:", " one", " two", " three"), sink.pieces);
		assertEquals(FinishReason.STOP, sink.finish);
		assertEquals(1, sink.finishes);
		assertTrue(sink.usage.promptTokens() > 0);
		assertTrue(fake.last("/v1/chat/completions").body().path("stream_options").path("include_usage").asBoolean());
	}

	@Test
	void theUpstreamsCachedTokensAndLlamaServersTimingsComeThrough() throws Exception {
		List<ChatMessage> conversation = List.of(ChatMessage.user("one two three"),
				ChatMessage.assistant("Hello there", List.of()), ChatMessage.user("four"));
		ChatResult whole = provider.chat(ChatRequest.of("m1", conversation));
		assertEquals(6 + 5, whole.usage().cachedTokens(), "the first two messages, as the upstream reported them");
		RecordingSink sink = new RecordingSink();
		provider.stream(ChatRequest.of("m1", conversation), sink);
		assertEquals(11, sink.usage.cachedTokens());
		assertFalse(sink.usage.timed(), "an OpenAI upstream sends no timings");

		JsonNode llamaServer = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree("""
				{"usage":{"prompt_tokens":120,"completion_tokens":10},
				 "timings":{"cache_n":100,"prompt_n":20,"prompt_ms":40.5,"predicted_n":10,"predicted_ms":250.25}}""");
		var usage = UpstreamUsage.of(llamaServer.get("usage"), llamaServer.get("timings"));
		assertEquals(100, usage.cachedTokens(), "cache_n when there is no cached_tokens");
		assertEquals(40_500_000L, usage.promptNanos());
		assertEquals(250_250_000L, usage.generationNanos());
	}

	@Test
	void aReasoningModelsThinkingComesApartFromItsAnswer() {
		RecordingSink sink = new RecordingSink();
		provider.stream(ask("m1", "think twice"), sink);
		assertEquals("Thinking about: think twice", sink.reasoning.toString());
		assertEquals(0, sink.textPiecesBeforeReasoning, "reasoning_content deltas come before the answer");
		assertEquals("Hello from m1: think twice", sink.text.toString());
		assertEquals(FinishReason.STOP, sink.finish);

		ChatResult whole = provider.chat(ask("m1", "think again"));
		assertEquals("Thinking about: think again", whole.reasoning());
		assertEquals("Hello from m1: think again", whole.message().text());
		assertNull(provider.chat(ask("m1", "no thoughts")).reasoning());
	}

	@Test
	void toolCallDeltasKeepIndexIdAndNameFirst() {
		RecordingSink sink = new RecordingSink();
		provider.stream(withTool("add twice"), sink);
		assertEquals(FinishReason.TOOL_CALLS, sink.finish);
		List<ToolCallDelta> starts = sink.calls.stream().filter(ToolCallDelta::isStart).toList();
		assertEquals(2, starts.size());
		assertEquals(List.of(0, 1), starts.stream().map(ToolCallDelta::index).toList());
		assertEquals("call_fake0", starts.get(0).id());
		assertEquals("add", starts.get(0).name());
		StringBuilder args0 = new StringBuilder();
		sink.calls.stream().filter(d -> d.index() == 0 && !d.isStart()).forEach(d -> args0.append(d.arguments()));
		assertEquals("{\"a\":2,\"b\":3}", args0.toString());
		ChatResult whole = provider.chat(withTool("add"));
		assertEquals("add", whole.message().toolCalls().get(0).name());
		assertEquals(FinishReason.TOOL_CALLS, whole.finishReason());
	}

	@Test
	void unknownModelIsModelNotFoundNamingTheUpstream() {
		ApiException e = assertThrows(ApiException.class, () -> provider.chat(ask("nope", "x")));
		assertEquals(ErrorType.NOT_FOUND, e.type());
		assertTrue(e.getMessage().contains("'up'") && e.getMessage().contains("does not exist"), e.getMessage());
	}

	@Test
	void garbledOutputIs502() {
		fake.garbled = true;
		ApiException whole = assertThrows(ApiException.class, () -> provider.chat(ask("m1", "x")));
		assertEquals(ErrorType.UPSTREAM, whole.type());
		assertTrue(whole.getMessage().contains("not JSON"), whole.getMessage());
		RecordingSink sink = new RecordingSink();
		ApiException streamed = assertThrows(ApiException.class, () -> provider.stream(ask("m1", "x"), sink));
		assertEquals(ErrorType.UPSTREAM, streamed.type());
		assertNull(sink.finish);
	}

	@Test
	void refusedConnectionIs503Quickly() throws Exception {
		int dead;
		try (ServerSocket s = new ServerSocket(0)) {
			dead = s.getLocalPort();
		}
		provider.closeWhenIdle();
		provider = provider("http://127.0.0.1:" + dead + "/v1", Duration.ofSeconds(5), null, false);
		long t0 = System.nanoTime();
		ApiException e = assertThrows(ApiException.class, () -> provider.chat(ask("m1", "x")));
		assertEquals(ErrorType.UNAVAILABLE, e.type());
		assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
		assertTrue(e.retryAfter() != null);
		assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos());
		assertThrows(ApiException.class, provider::models);
	}

	@Test
	void slowUpstreamIs504AfterTheReadTimeout() {
		provider.configure(new Upstream("up", fake.url() + "/v1", null, false, Duration.ofSeconds(2),
				Duration.ofMillis(300), 8, List.of(), Duration.ofSeconds(10)));
		fake.delayMillis = 2_000;
		ApiException e = assertThrows(ApiException.class, () -> provider.chat(ask("m1", "x")));
		assertEquals(ErrorType.TIMEOUT, e.type());
		fake.delayMillis = 0;
		fake.chunkDelayMillis = 1_000;
		RecordingSink sink = new RecordingSink();
		assertEquals(ErrorType.TIMEOUT, assertThrows(ApiException.class, () -> provider.stream(ask("m1", "x"), sink)).type());
	}

	@Test
	void aClientThatHangsUpAbortsTheUpstreamRequest() throws Exception {
		fake.chunkDelayMillis = 100;
		RecordingSink sink = new RecordingSink(2);
		provider.stream(ask("m1", "a b c d e f g h i j k l m n o p"), sink);
		assertTrue(sink.cancelled());
		assertNull(sink.finish);
		long deadline = System.currentTimeMillis() + 5_000;
		while (fake.aborted.get() == 0 && System.currentTimeMillis() < deadline) {
			Thread.sleep(50);
		}
		assertEquals(1, fake.aborted.get(), "the fake saw its stream cut");
		assertEquals(0, fake.completedStreams.get());
	}

	@Test
	void keysConfiguredOrForwarded() {
		fake.requiredKey = "secret";
		assertEquals(ErrorType.UPSTREAM, assertThrows(ApiException.class, () -> provider.chat(ask("m1", "x"))).type());
		provider.closeWhenIdle();
		provider = provider(fake.url() + "/v1", Duration.ofSeconds(5), "secret", true);
		assertEquals("Hello from m1: x", provider.chat(ask("m1", "x")).message().text());
		ApiException wrongCaller = assertThrows(ApiException.class,
				() -> provider.chat(ask("m1", "x").withCallerKey("callers")));
		assertEquals(ErrorType.AUTHENTICATION, wrongCaller.type());
		assertEquals("Bearer callers", fake.last("/v1/chat/completions").header("Authorization"));
	}

	@Test
	void embeddingsInInputOrder() {
		var r = provider.embed(new EmbeddingRequest("m1", List.of("a", "b", "c"), List.of(), 4, null));
		assertEquals(3, r.vectors().size());
		assertEquals(4, r.vectors().get(0).length);
		assertEquals("float", fake.last("/v1/embeddings").body().get("encoding_format").asText());
	}
}
