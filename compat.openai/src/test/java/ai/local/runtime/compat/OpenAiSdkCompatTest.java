package ai.local.runtime.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.CustomTool;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseCustomToolCall;
import com.openai.models.responses.ResponseCustomToolCallOutput;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.WebSearchTool;

import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * The official openai-java SDK against the runtime started by bin/local-ai-runtime: what an app that points
 * its base URL here sees. The scripted provider is the default, so its ids are unprefixed.
 */
class OpenAiSdkCompatTest {
	private static RuntimeProcess runtime;
	private static OpenAIClient client;

	@BeforeAll
	static void start() throws Exception {
		runtime = RuntimeProcess.start(Map.of("RUNTIME_PROVIDER", "scripted", "RUNTIME_API_KEYS", "sk-local-test"),
				List.of(Path.of(System.getProperty("scripted.provider.jar"))));
		System.out.println("[compat] bin/local-ai-runtime: start to first 200 from /health: "
				+ runtime.startToFirst200Millis + " ms");
		client = OpenAIOkHttpClient.builder().baseUrl(runtime.base() + "/v1").apiKey("sk-local-test")
				.timeout(Duration.ofSeconds(30)).build();
		await("the scripted provider is deployed", () -> ids().contains("echo"));
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	@Test
	void modelsListTheDefaultProviderUnprefixed() {
		List<String> ids = ids();
		assertTrue(ids.containsAll(List.of("echo", "tools", "embed")), ids.toString());
		Model one = client.models().retrieve("echo");
		assertEquals("echo", one.id());
	}

	@Test
	void chatCompletion() {
		ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
				.model("echo").addSystemMessage("be brief").addUserMessage("hello sdk").build());
		assertEquals("You said: hello sdk", c.choices().get(0).message().content().orElseThrow());
		assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
		assertTrue(c.usage().orElseThrow().totalTokens() > 0);
		c.validate();
	}

	@Test
	void streamedChatAssembles() {
		ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
		int chunks = 0;
		try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
				ChatCompletionCreateParams.builder().model("echo").addUserMessage("one two three")
						.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
			for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
				chunk.validate();
				acc.accumulate(chunk);
				chunks++;
			}
		}
		ChatCompletion whole = acc.chatCompletion();
		assertEquals("You said: one two three", whole.choices().get(0).message().content().orElseThrow());
		assertTrue(chunks >= 7, "role, five pieces, finish, usage: " + chunks);
		assertTrue(whole.usage().orElseThrow().completionTokens() > 0);
	}

	@Test
	void streamedToolCallsAssemble() {
		ChatCompletionFunctionTool add = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
				.name("add").description("adds two numbers").parameters(FunctionParameters.builder()
						.putAdditionalProperty("type", JsonValue.from("object"))
						.putAdditionalProperty("properties", JsonValue.from(Map.of("a", Map.of("type", "number"),
								"b", Map.of("type", "number"))))
						.build())
				.build()).build();
		ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
		try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
				ChatCompletionCreateParams.builder().model("tools").addUserMessage("2+3?").addTool(add).build())) {
			s.stream().forEach(acc::accumulate);
		}
		ChatCompletion whole = acc.chatCompletion();
		assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, whole.choices().get(0).finishReason());
		ChatCompletionMessageFunctionToolCall call = whole.choices().get(0).message().toolCalls().orElseThrow().get(0)
				.function().orElseThrow();
		assertEquals("add", call.function().name());
		assertEquals("{\"a\":2,\"b\":3}", call.function().arguments());
		assertFalse(call.id().isEmpty());
	}

	@Test
	void embeddingsInBothEncodings() {
		EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model("embed")
				.inputOfArrayOfStrings(List.of("first text", "second"));
		CreateEmbeddingResponse floats = client.embeddings().create(
				params.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
		CreateEmbeddingResponse base64 = client.embeddings().create(
				params.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
		assertEquals(2, floats.data().size());
		assertEquals(8, floats.data().get(0).embedding().size());
		assertTrue(base64.data().get(0).embeddingValue().isBase64(), "the wire carried base64");
		byte[] raw = Base64.getDecoder().decode(base64.data().get(0).embeddingValue().asBase64());
		java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		for (float f : floats.data().get(0).embedding()) {
			assertEquals(f, le.getFloat(), 0f);
		}
		assertEquals(3, floats.usage().promptTokens());
	}

	@Test
	void responsesWholeAndStreamed() {
		Response r = client.responses().create(ResponseCreateParams.builder().model("echo").input("hi there").build());
		assertEquals("You said: hi there", r.output().get(0).message().orElseThrow().content().get(0).outputText()
				.orElseThrow().text());
		ResponseAccumulator acc = ResponseAccumulator.create();
		try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(
				ResponseCreateParams.builder().model("echo").input("stream me").build())) {
			s.stream().forEach(acc::accumulate);
		}
		Response streamed = acc.response();
		assertEquals("You said: stream me", streamed.output().get(0).message().orElseThrow().content().get(0)
				.outputText().orElseThrow().text());
	}

	@Test
	void responsesFunctionToolRoundTrip() {
		FunctionTool add = FunctionTool.builder().name("add").strict(false).parameters(FunctionTool.Parameters.builder()
				.putAdditionalProperty("type", JsonValue.from("object")).build()).build();
		ResponseAccumulator acc = ResponseAccumulator.create();
		try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(
				ResponseCreateParams.builder().model("tools").input("add 2 and 3").addTool(add).build())) {
			s.stream().forEach(acc::accumulate);
		}
		Response first = acc.response();
		ResponseFunctionToolCall call = first.output().stream().flatMap(o -> o.functionCall().stream()).findFirst()
				.orElseThrow();
		assertEquals("add", call.name());
		assertEquals("{\"a\":2,\"b\":3}", call.arguments());

		Response second = client.responses().create(ResponseCreateParams.builder().model("tools")
				.previousResponseId(first.id()).addTool(add).inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
						ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("5").build())))
				.build());
		assertEquals("The result is 5", second.output().get(0).message().orElseThrow().content().get(0).outputText()
				.orElseThrow().text());
		assertEquals(first.id(), client.responses().retrieve(first.id()).id());
	}

	@Test
	void responsesCustomToolsAsCodexUsesThem() {
		CustomTool patch = CustomTool.builder().name("apply_patch").description("applies a patch").build();
		ResponseAccumulator acc = ResponseAccumulator.create();
		try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(ResponseCreateParams.builder()
				.model("tools").input("patch it").addTool(patch).addTool(WebSearchTool.builder()
						.type(WebSearchTool.Type.WEB_SEARCH).build()).build())) {
			s.stream().forEach(acc::accumulate);
		}
		ResponseCustomToolCall call = acc.response().output().stream().flatMap(o -> o.customToolCall().stream())
				.findFirst().orElseThrow();
		assertEquals("apply_patch", call.name());
		assertEquals("{\"a\":2,\"b\":3}", call.input(), "the text the model wrote for it");

		Response whole = client.responses().create(ResponseCreateParams.builder().model("tools").input("patch it")
				.addTool(patch).build());
		assertEquals(call.input(), whole.output().get(0).customToolCall().orElseThrow().input());

		Response answered = client.responses().create(ResponseCreateParams.builder().model("tools").addTool(patch)
				.inputOfResponse(List.of(ResponseInputItem.ofMessage(ResponseInputItem.Message.builder()
						.role(ResponseInputItem.Message.Role.USER).addInputTextContent("patch it").build()),
						ResponseInputItem.ofCustomToolCall(call),
						ResponseInputItem.ofCustomToolCallOutput(ResponseCustomToolCallOutput.builder()
								.callId(call.callId()).output("patched").build())))
				.build());
		assertEquals("The result is patched", answered.output().get(0).message().orElseThrow().content().get(0)
				.outputText().orElseThrow().text());
	}

	@Test
	void responsesCarryReasoningItems() {
		Response r = client.responses().create(ResponseCreateParams.builder().model("thinker").input("why")
				.reasoning(Reasoning.builder().effort(ReasoningEffort.HIGH).build()).build());
		ResponseReasoningItem reasoning = r.output().get(0).reasoning().orElseThrow();
		assertEquals("Thinking about: why", reasoning.content().orElseThrow().get(0).text());
		assertEquals("You said: why", r.output().get(1).message().orElseThrow().content().get(0).outputText()
				.orElseThrow().text());
		Response none = client.responses().create(ResponseCreateParams.builder().model("thinker").input("why")
				.reasoning(Reasoning.builder().effort(ReasoningEffort.NONE).build()).build());
		assertTrue(none.output().get(0).message().isPresent(), none.output().toString());
	}

	@Test
	void errorsMapToTheSdkExceptions() {
		NotFoundException missing = assertThrows(NotFoundException.class, () -> client.chat().completions().create(
				ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("x").build()));
		assertTrue(missing.getMessage().contains("no-such-model"), missing.getMessage());
		assertThrows(BadRequestException.class, () -> client.chat().completions().create(
				ChatCompletionCreateParams.builder().model("echo").addUserMessage("x").temperature(9.0).build()));
		OpenAIClient wrongKey = OpenAIOkHttpClient.builder().baseUrl(runtime.base() + "/v1").apiKey("sk-wrong").build();
		assertThrows(UnauthorizedException.class, () -> wrongKey.models().list());
	}

	@Test
	void providerJarsInDeployAreHotDeployed() throws Exception {
		runtime.undeploy("test.provider.scripted.jar");
		await("models gone once the jar is removed", () -> !ids().contains("echo"));
		assertThrows(NotFoundException.class, () -> client.chat().completions().create(
				ChatCompletionCreateParams.builder().model("echo").addUserMessage("x").build()));
		runtime.redeploy("test.provider.scripted.jar");
		await("models back once the jar returns", () -> ids().contains("echo"));
		assertEquals("You said: back", client.chat().completions().create(ChatCompletionCreateParams.builder()
				.model("echo").addUserMessage("back").build()).choices().get(0).message().content().orElseThrow());
	}

	@Test
	void webConsoleNeedsTheGeneratedPassword() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		URI console = URI.create(runtime.base() + "/system/console/bundles");
		assertEquals(401, http.send(HttpRequest.newBuilder(console).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode());
		String admin = Base64.getEncoder().encodeToString("admin:admin".getBytes());
		assertEquals(401, http.send(HttpRequest.newBuilder(console).header("Authorization", "Basic " + admin).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode(), "admin/admin must not work");
		String password = Files.readString(runtime.home.resolve("data/console-password")).trim();
		String good = Base64.getEncoder().encodeToString(("admin:" + password).getBytes());
		assertEquals(200, http.send(HttpRequest.newBuilder(console).header("Authorization", "Basic " + good).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode());
	}

	private static List<String> ids() {
		return client.models().list().data().stream().map(Model::id).toList();
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 15_000;
		while (System.currentTimeMillis() < deadline) {
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("timed out waiting until " + what + "\n" + RuntimeProcess.log(runtime.home));
	}
}
