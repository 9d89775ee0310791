package ai.local.runtime.compat.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaModel;
import dev.langchain4j.model.ollama.OllamaModelCard;
import dev.langchain4j.model.ollama.OllamaModels;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;

import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * LangChain4j's Ollama module (an Ollama-only client) against the runtime started by bin/local-ai-runtime, its
 * base URL the runtime's root: lists, describes, chats, streams, calls tools, thinks and embeds. The scripted
 * provider is the default, so its model ids are unprefixed.
 */
class LangChain4jOllamaTest {
	private static RuntimeProcess runtime;

	@BeforeAll
	static void start() throws Exception {
		runtime = Runtimes.scripted();
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	private static OllamaChatModel.OllamaChatModelBuilder chat(String model) {
		return OllamaChatModel.builder().baseUrl(runtime.base()).modelName(model).timeout(Duration.ofSeconds(30))
				.maxRetries(0);
	}

	@Test
	void listsAndDescribesTheModels() {
		OllamaModels models = OllamaModels.builder().baseUrl(runtime.base()).timeout(Duration.ofSeconds(30)).build();
		List<String> names = models.availableModels().content().stream().map(OllamaModel::getName).toList();
		assertTrue(names.containsAll(List.of("echo", "tools", "embed", "thinker")), names.toString());
		OllamaModelCard card = models.modelCard("tools").content();
		assertTrue(card.getCapabilities().containsAll(List.of("completion", "tools")), card.getCapabilities().toString());
		assertTrue(card.getModelfile().contains("FROM tools"), card.getModelfile());
	}

	@Test
	void chats() {
		ChatResponse r = chat("echo").build().chat(SystemMessage.from("be brief"), UserMessage.from("hello ollama"));
		assertEquals("You said: hello ollama", r.aiMessage().text());
		assertEquals(FinishReason.STOP, r.finishReason());
		assertTrue(r.tokenUsage().inputTokenCount() > 0);
		assertEquals(4, r.tokenUsage().outputTokenCount());
	}

	@Test
	void aLimitCutsTheAnswer() {
		ChatResponse r = chat("echo").numPredict(2).build().chat(UserMessage.from("one two three four"));
		assertEquals("You said: ", r.aiMessage().text());
		assertEquals(FinishReason.LENGTH, r.finishReason());
	}

	@Test
	void streams() throws Exception {
		OllamaStreamingChatModel model = OllamaStreamingChatModel.builder().baseUrl(runtime.base()).modelName("echo")
				.timeout(Duration.ofSeconds(30)).build();
		List<String> pieces = new ArrayList<>();
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		model.chat(List.of(UserMessage.from("stream me please")), new StreamingChatResponseHandler() {
			@Override
			public void onPartialResponse(String partial) {
				pieces.add(partial);
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
		ChatResponse r = done.get(30, TimeUnit.SECONDS);
		assertEquals("You said: stream me please", r.aiMessage().text());
		assertTrue(pieces.size() >= 4, pieces.toString());
		assertEquals(r.aiMessage().text(), String.join("", pieces));
	}

	@Test
	void callsToolsAndReadsTheirResults() {
		OllamaChatModel model = chat("tools").build();
		ToolSpecification add = ToolSpecification.builder().name("add").description("adds two numbers")
				.parameters(JsonObjectSchema.builder().addIntegerProperty("a").addIntegerProperty("b").required("a", "b")
						.build())
				.build();
		UserMessage question = UserMessage.from("what is 2 + 3?");
		ChatResponse first = model.chat(ChatRequest.builder().messages(question).toolSpecifications(add).build());
		assertTrue(first.aiMessage().hasToolExecutionRequests(), first.toString());
		ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().get(0);
		assertEquals("add", call.name());
		assertEquals("{\"a\":2,\"b\":3}", call.arguments().replace(" ", ""));

		List<ChatMessage> turn = List.of(question, first.aiMessage(), ToolExecutionResultMessage.from(call, "5"));
		ChatResponse second = model.chat(ChatRequest.builder().messages(turn).toolSpecifications(add).build());
		assertEquals("The result is 5", second.aiMessage().text());
	}

	@Test
	void thinksWhenAskedAndNotOtherwise() {
		AiMessage thought = chat("thinker").think(true).returnThinking(true).build()
				.chat(UserMessage.from("why is the sky blue")).aiMessage();
		assertEquals("Thinking about: why is the sky blue", thought.thinking());
		assertEquals("You said: why is the sky blue", thought.text());

		AiMessage direct = chat("thinker").think(false).returnThinking(true).build()
				.chat(UserMessage.from("why is the sky blue")).aiMessage();
		assertEquals(null, direct.thinking());
		assertEquals("You said: why is the sky blue", direct.text());
	}

	@Test
	void embeds() {
		OllamaEmbeddingModel model = OllamaEmbeddingModel.builder().baseUrl(runtime.base()).modelName("embed")
				.timeout(Duration.ofSeconds(30)).build();
		Embedding e = model.embed("a piece of text").content();
		assertNotNull(e);
		assertEquals(8, e.dimension());
		double norm = 0;
		for (float f : e.vector()) {
			norm += f * f;
		}
		assertEquals(1.0, norm, 1e-5);
		assertEquals(2, model.embedAll(List.of(dev.langchain4j.data.segment.TextSegment.from("a"),
				dev.langchain4j.data.segment.TextSegment.from("b"))).content().size());
	}
}
