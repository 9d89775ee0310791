package ai.local.runtime.compat.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenCountEstimator;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;

import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * LangChain4j's Anthropic module, as Claude Code would talk to the runtime: Claude's model names through
 * {@code model.aliases}, the key in {@code x-api-key}, tokens counted, thinking and tool use streamed.
 */
class LangChain4jAnthropicTest {
	private static final String KEY = "sk-local-anthropic";
	private static RuntimeProcess runtime;

	@BeforeAll
	static void start() throws Exception {
		runtime = Runtimes.scripted(Map.of("RUNTIME_API_KEYS", KEY, "RUNTIME_MODEL_ALIASES",
				"claude-haiku-*=echo,claude-*=thinker"));
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	private static String base() {
		return runtime.base() + "/v1/";
	}

	@Test
	void claudeNamesReachLocalModels() {
		ChatResponse r = AnthropicChatModel.builder().baseUrl(base()).apiKey(KEY).modelName("claude-haiku-4-5-20251001")
				.maxTokens(100).timeout(Duration.ofSeconds(30)).maxRetries(0).build()
				.chat(SystemMessage.from("be brief"), UserMessage.from("hello claude"));
		assertEquals("You said: hello claude", r.aiMessage().text());
		assertEquals("claude-haiku-4-5-20251001", r.modelName());
		assertEquals(FinishReason.STOP, r.finishReason());
	}

	@Test
	void countsTokensAsTheModelWould() {
		AnthropicTokenCountEstimator counter = AnthropicTokenCountEstimator.builder().baseUrl(base()).apiKey(KEY)
				.modelName("claude-sonnet-4-5").timeout(Duration.ofSeconds(30)).build();
		List<ChatMessage> messages = List.of(SystemMessage.from("be brief"), UserMessage.from("one two three"));
		int counted = counter.estimateTokenCountInMessages(messages);
		ChatResponse r = AnthropicChatModel.builder().baseUrl(base()).apiKey(KEY).modelName("claude-sonnet-4-5")
				.maxTokens(100).timeout(Duration.ofSeconds(30)).maxRetries(0).build().chat(messages);
		assertEquals(r.tokenUsage().inputTokenCount(), counted); // the count is what the answer then reports
	}

	@Test
	void streamsThinkingThenTheAnswer() throws Exception {
		AnthropicStreamingChatModel model = AnthropicStreamingChatModel.builder().baseUrl(base()).apiKey(KEY)
				.modelName("claude-sonnet-4-5").maxTokens(2000).thinkingType("enabled").thinkingBudgetTokens(1024)
				.returnThinking(true).timeout(Duration.ofSeconds(30)).build();
		List<String> thinking = new ArrayList<>();
		List<String> text = new ArrayList<>();
		ChatResponse r = stream(model, ChatRequest.builder().messages(UserMessage.from("why is the sky blue")).build(),
				thinking, text, new ArrayList<>());
		assertEquals("Thinking about: why is the sky blue", String.join("", thinking));
		assertEquals("Thinking about: why is the sky blue", r.aiMessage().thinking());
		assertEquals("You said: why is the sky blue", String.join("", text));
		assertEquals("You said: why is the sky blue", r.aiMessage().text());
	}

	@Test
	void streamsToolUseAndTakesTheResultBack() throws Exception {
		AnthropicStreamingChatModel model = AnthropicStreamingChatModel.builder().baseUrl(base()).apiKey(KEY)
				.modelName("tools").maxTokens(200).timeout(Duration.ofSeconds(30)).build();
		ToolSpecification add = ToolSpecification.builder().name("add").description("adds two numbers")
				.parameters(JsonObjectSchema.builder().addIntegerProperty("a").addIntegerProperty("b").required("a", "b")
						.build())
				.build();
		UserMessage question = UserMessage.from("what is 2 + 3?");
		List<PartialToolCall> partial = new ArrayList<>();
		ChatResponse first = stream(model, ChatRequest.builder().messages(question).toolSpecifications(add).build(),
				new ArrayList<>(), new ArrayList<>(), partial);
		assertEquals(FinishReason.TOOL_EXECUTION, first.finishReason());
		ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().get(0);
		assertEquals("add", call.name());
		assertEquals("{\"a\":2,\"b\":3}", call.arguments().replace(" ", ""));
		assertTrue(partial.size() > 1, "arguments arrive in pieces: " + partial);

		List<ChatMessage> turn = List.of(question, first.aiMessage(), ToolExecutionResultMessage.from(call, "5"));
		ChatResponse second = stream(model, ChatRequest.builder().messages(turn).toolSpecifications(add).build(),
				new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		assertEquals("The result is 5", second.aiMessage().text());
	}

	private static ChatResponse stream(AnthropicStreamingChatModel model, ChatRequest request, List<String> thinking,
			List<String> text, List<PartialToolCall> calls) throws Exception {
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		model.chat(request, new StreamingChatResponseHandler() {
			@Override
			public void onPartialResponse(String partial) {
				text.add(partial);
			}

			@Override
			public void onPartialThinking(PartialThinking partial) {
				thinking.add(partial.text());
			}

			@Override
			public void onPartialToolCall(PartialToolCall partial) {
				calls.add(partial);
			}

			@Override
			public void onCompleteResponse(ChatResponse complete) {
				done.complete(complete);
			}

			@Override
			public void onError(Throwable error) {
				done.completeExceptionally(error);
			}
		});
		return done.get(30, TimeUnit.SECONDS);
	}
}
