package ai.local.runtime.providers.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.process.RuntimeProcess;
import ai.local.runtime.testing.upstream.FakeOllama;
import ai.local.runtime.testing.upstream.FakeOpenAi;

/**
 * Every HTTP provider through the runtime as a user runs it: the four provider bundles in deploy/, pointed at
 * their upstreams by OLLAMA_HOST, VLLM_HOST, LMDEPLOY_HOST and MNN_HOST, Ollama as the default provider (so its
 * colon ids are served unprefixed), the openai-java SDK and plain HTTP as clients.
 */
class HttpProvidersTest {
	static final List<String> PROVIDERS = List.of("provider.openai.jar", "provider.ollama.jar",
			"provider.lmdeploy.jar", "provider.mnn.jar");

	static FakeOllama ollama;
	static FakeOpenAi vllm;
	static FakeOpenAi lmdeploy;
	static FakeOpenAi mnn;
	static RuntimeProcess runtime;
	static Api api;
	static OpenAIClient sdk;

	@BeforeAll
	static void start() throws Exception {
		ollama = new FakeOllama(List.of("qwen2.5:latest", "nomic-embed-text:latest"));
		vllm = new FakeOpenAi("/v1", List.of("Qwen/Qwen2.5-7B-Instruct"), false);
		lmdeploy = new FakeOpenAi("/v1", List.of("internlm2_5-7b-chat"), true);
		mnn = new FakeOpenAi("", null, false);
		Path dir = Path.of(System.getProperty("providers.dir"));
		runtime = RuntimeProcess.start(Map.of("RUNTIME_PROVIDER", "ollama",
				"OLLAMA_HOST", "127.0.0.1:" + ollama.port(),
				"VLLM_HOST", vllm.url(),
				"LMDEPLOY_HOST", lmdeploy.url(),
				"MNN_HOST", mnn.url() + "/"),
				PROVIDERS.stream().map(dir::resolve).toList());
		// MNN without /v1 and without a model list: told so in conf/, as an operator would
		Files.writeString(runtime.home.resolve("conf/provider.mnn.cfg"), "path.prefix=/\nmodels=qwen-mnn\n");
		api = new Api(runtime.base());
		sdk = OpenAIOkHttpClient.builder().baseUrl(runtime.base() + "/v1").apiKey("sk-any").maxRetries(0)
				.timeout(Duration.ofSeconds(30)).build();
		await("all four providers routable", () -> ids().containsAll(List.of("qwen2.5:latest",
				"vllm:Qwen/Qwen2.5-7B-Instruct", "lmdeploy:internlm2_5-7b-chat", "mnn:qwen-mnn")));
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
		ollama.close();
		vllm.close();
		lmdeploy.close();
		mnn.close();
	}

	static List<String> ids() {
		List<String> ids = new ArrayList<>();
		api.get("/v1/models").json().get("data").forEach(m -> ids.add(m.get("id").asText()));
		return ids;
	}

	static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 20_000;
		while (!condition.getAsBoolean()) {
			if (System.currentTimeMillis() > deadline) {
				throw new AssertionError("timed out waiting until " + what + "; vllm aborted=" + vllm.aborted
						+ " completed=" + vllm.completedStreams + "\n" + runtime.log());
			}
			Thread.sleep(100);
		}
	}

	static ChatCompletionCreateParams ask(String model, String text) {
		return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).build();
	}

	static ChatCompletionFunctionTool addTool() {
		return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("add")
				.description("adds two numbers").parameters(FunctionParameters.builder()
						.putAdditionalProperty("type", JsonValue.from("object"))
						.putAdditionalProperty("properties", JsonValue.from(Map.of("a", Map.of("type", "number"),
								"b", Map.of("type", "number"))))
						.build())
				.build()).build();
	}

	/** The model id a client uses, and the id the upstream gets. */
	static String[] model(String provider) {
		return switch (provider) {
		case "ollama" -> new String[] { "qwen2.5:latest", "qwen2.5:latest" };
		case "vllm" -> new String[] { "vllm:Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct" };
		case "lmdeploy" -> new String[] { "lmdeploy:internlm2_5-7b-chat", "internlm2_5-7b-chat" };
		default -> new String[] { "mnn:qwen-mnn", "qwen-mnn" };
		};
	}

	@Test
	void modelsListEveryBackendUnderItsPrefixAndTheDefaultUnprefixed() {
		JsonNode list = api.get("/v1/models").json();
		List<String> ids = ids();
		assertTrue(ids.containsAll(List.of("qwen2.5:latest", "nomic-embed-text:latest", "vllm:Qwen/Qwen2.5-7B-Instruct",
				"lmdeploy:internlm2_5-7b-chat", "mnn:qwen-mnn")), ids.toString());
		JsonNode ollamaEntry = null;
		for (JsonNode p : list.get("providers")) {
			assertEquals("ready", p.get("status").asText(), p.toString());
			if (p.get("name").asText().equals("ollama")) {
				ollamaEntry = p;
			}
		}
		assertNotNull(ollamaEntry);
		assertTrue(ollamaEntry.get("default").asBoolean());
		assertEquals("qwen2.5:latest", api.get("/v1/models/qwen2.5:latest").json().get("id").asText());
	}

	@ParameterizedTest
	@ValueSource(strings = { "ollama", "vllm", "lmdeploy", "mnn" })
	void chatWholeAndStreamedThroughTheSdk(String provider) {
		String[] m = model(provider);
		ChatCompletion c = sdk.chat().completions().create(ask(m[0], "hi there"));
		assertEquals("Hello from " + m[1] + ": hi there", c.choices().get(0).message().content().orElseThrow());
		assertEquals(m[0], c.model(), "the id the client asked for is echoed");
		assertTrue(c.usage().orElseThrow().completionTokens() > 0);

		ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
		int chunks = 0;
		try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(
				ChatCompletionCreateParams.builder().model(m[0]).addUserMessage("one two three")
						.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
			for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
				chunk.validate();
				acc.accumulate(chunk);
				chunks++;
			}
		}
		ChatCompletion whole = acc.chatCompletion();
		assertEquals("Hello from " + m[1] + ": one two three", whole.choices().get(0).message().content().orElseThrow());
		assertTrue(chunks >= 8, "a chunk per upstream piece: " + chunks);
		assertTrue(whole.usage().orElseThrow().promptTokens() > 0, "usage relayed");
	}

	/** vLLM and LMDeploy with a reasoning parser send reasoning_content; Ollama sends thinking when asked to think. */
	@ParameterizedTest
	@ValueSource(strings = { "ollama", "vllm", "lmdeploy" })
	void aReasoningModelsThinkingStreamsAheadOfItsAnswer(String provider) {
		String[] m = model(provider);
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(m[0])
				.addUserMessage("think about it").putAdditionalBodyProperty("think", JsonValue.from(true)).build();
		StringBuilder reasoning = new StringBuilder();
		StringBuilder content = new StringBuilder();
		Integer contentBeforeReasoning = null;
		try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(params)) {
			for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
				chunk.validate();
				if (chunk.choices().isEmpty()) {
					continue;
				}
				ChatCompletionChunk.Choice.Delta delta = chunk.choices().get(0).delta();
				JsonValue r = delta._additionalProperties().get("reasoning_content");
				if (r != null) {
					contentBeforeReasoning = contentBeforeReasoning == null ? content.length() : contentBeforeReasoning;
					reasoning.append(r.convert(String.class));
				}
				delta.content().ifPresent(content::append);
			}
		}
		assertEquals("Thinking about: think about it", reasoning.toString());
		assertEquals("Hello from " + m[1] + ": think about it", content.toString());
		assertEquals(0, contentBeforeReasoning, "the thinking came first");

		ChatCompletion whole = sdk.chat().completions().create(params);
		ChatCompletionMessage message = whole.choices().get(0).message();
		assertEquals("Thinking about: think about it",
				message._additionalProperties().get("reasoning_content").convert(String.class));
		assertEquals("Hello from " + m[1] + ": think about it", message.content().orElseThrow());
	}

	@ParameterizedTest
	@ValueSource(strings = { "ollama", "vllm", "lmdeploy" })
	void toolCallsStreamedAndWhole(String provider) {
		String model = model(provider)[0];
		ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
		try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(
				ChatCompletionCreateParams.builder().model(model).addUserMessage("add twice").addTool(addTool()).build())) {
			s.stream().forEach(acc::accumulate);
		}
		ChatCompletion whole = acc.chatCompletion();
		assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, whole.choices().get(0).finishReason());
		var calls = whole.choices().get(0).message().toolCalls().orElseThrow();
		assertEquals(2, calls.size());
		ChatCompletionMessageFunctionToolCall first = calls.get(0).function().orElseThrow();
		assertEquals("add", first.function().name());
		assertEquals("{\"a\":2,\"b\":3}", first.function().arguments());
		assertFalse(first.id().isEmpty());
		assertFalse(first.id().equals(calls.get(1).function().orElseThrow().id()));

		ChatCompletion direct = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
				.addUserMessage("add").addTool(addTool()).build());
		assertEquals("{\"a\":2,\"b\":3}", direct.choices().get(0).message().toolCalls().orElseThrow().get(0).function()
				.orElseThrow().function().arguments());
	}

	@Test
	void toolResultsGoBackInEachWireFormat() {
		ObjectNode body = Api.JSON.createObjectNode().put("model", "qwen2.5:latest");
		var messages = body.putArray("messages");
		messages.addObject().put("role", "user").put("content", "2+3?");
		ObjectNode assistant = messages.addObject().put("role", "assistant");
		assistant.putNull("content");
		assistant.putArray("tool_calls").addObject().put("id", "call_9").put("type", "function").putObject("function")
				.put("name", "add").put("arguments", "{\"a\":2,\"b\":3}");
		messages.addObject().put("role", "tool").put("tool_call_id", "call_9").put("content", "5");
		Api.Reply r = api.post("/v1/chat/completions", body);
		assertEquals(200, r.status(), r.body());
		assertEquals("The tool said 5.", r.text());
		JsonNode sent = ollama.last("/api/chat").body().get("messages");
		assertEquals(2, sent.get(1).get("tool_calls").get(0).get("function").get("arguments").get("a").asInt());
		assertEquals("add", sent.get(2).get("tool_name").asText());

		body.put("model", "vllm:Qwen/Qwen2.5-7B-Instruct");
		assertEquals("The tool said 5.", api.post("/v1/chat/completions", body).text());
		assertEquals("call_9", vllm.last("/v1/chat/completions").body().get("messages").get(2).get("tool_call_id").asText());
	}

	@Test
	void embeddingsWhereTheBackendHasThem() {
		CreateEmbeddingResponse o = sdk.embeddings().create(EmbeddingCreateParams.builder()
				.model("nomic-embed-text:latest").inputOfArrayOfStrings(List.of("first text", "second")).build());
		assertEquals(2, o.data().size());
		assertEquals(1, ollama.requests("/api/embed").size(), "one batched call");
		CreateEmbeddingResponse v = sdk.embeddings().create(EmbeddingCreateParams.builder()
				.model("vllm:Qwen/Qwen2.5-7B-Instruct").input("x").dimensions(4).build());
		assertEquals(4, v.data().get(0).embedding().size());

		ObjectNode body = Api.JSON.createObjectNode().put("model", "lmdeploy:internlm2_5-7b-chat").put("input", "x");
		Api.Reply r = api.post("/v1/embeddings", body);
		assertEquals(400, r.status(), r.body());
		assertEquals("invalid_request_error", r.json().at("/error/type").asText());
		assertTrue(r.json().at("/error/message").asText().contains("not supported by lmdeploy"), r.body());
	}

	@Test
	void lmdeploySamplingExtrasArePassedOn() {
		ObjectNode body = Api.JSON.createObjectNode().put("model", "lmdeploy:internlm2_5-7b-chat").put("top_k", 40)
				.put("repetition_penalty", 1.05).put("skip_special_tokens", false);
		body.putArray("messages").addObject().put("role", "user").put("content", "hi");
		assertEquals(200, api.post("/v1/chat/completions", body).status());
		JsonNode sent = lmdeploy.last("/v1/chat/completions").body();
		assertEquals(40, sent.get("top_k").asInt());
		assertEquals(1.05, sent.get("repetition_penalty").asDouble());
		assertFalse(sent.get("skip_special_tokens").asBoolean(true));
		assertEquals("internlm2_5-7b-chat", sent.get("model").asText());
	}

	@Test
	void aDeadUpstreamIsReportedNotFatal() throws Exception {
		vllm.stop();
		try {
			long t0 = System.nanoTime();
			Api.Reply r = api.post("/v1/chat/completions", chat("vllm:Qwen/Qwen2.5-7B-Instruct", false));
			long millis = (System.nanoTime() - t0) / 1_000_000;
			assertEquals(503, r.status(), r.body());
			assertTrue(millis < 3_000, millis + " ms");
			assertNotNull(r.header("Retry-After"));
			assertTrue(r.json().at("/error/message").asText().contains("'vllm'"), r.body());
			Api.Reply models = api.get("/v1/models");
			assertEquals(200, models.status());
			assertTrue(ids().contains("qwen2.5:latest"), "the others are still listed");
			assertFalse(ids().stream().anyMatch(id -> id.startsWith("vllm:")));
			JsonNode entry = null;
			for (JsonNode p : models.json().get("providers")) {
				if (p.get("name").asText().equals("vllm")) {
					entry = p;
				}
			}
			assertNotNull(entry, models.body());
			assertEquals("unavailable", entry.get("status").asText());
			assertTrue(entry.get("detail").asText().contains("cannot be reached"), entry.toString());
		} finally {
			vllm.start();
		}
		await("vllm answers again", () -> api.post("/v1/chat/completions", chat("vllm:Qwen/Qwen2.5-7B-Instruct",
				false)).status() == 200);
	}

	@Test
	void garbledUpstreamOutputIs502OrAnErrorEvent() {
		ollama.garbled = true;
		try {
			Api.Reply whole = api.post("/v1/chat/completions", chat("qwen2.5:latest", false));
			assertEquals(502, whole.status(), whole.body());
			assertTrue(whole.json().at("/error/message").asText().contains("'ollama'"), whole.body());
			Api.Reply streamed = api.post("/v1/chat/completions", chat("qwen2.5:latest", true));
			assertEquals(200, streamed.status(), "the stream had started");
			assertTrue(streamed.body().contains("\"error\"") && streamed.body().contains("not JSON"), streamed.body());
			assertTrue(streamed.body().strip().endsWith("data: [DONE]"), streamed.body());
		} finally {
			ollama.garbled = false;
		}
	}

	@Test
	void aSlowUpstreamTimesOutWith504() throws Exception {
		Path cfg = runtime.home.resolve("conf/provider.lmdeploy.cfg");
		Files.writeString(cfg, "read.timeout.ms=700\n");
		lmdeploy.delayMillis = 3_000;
		try {
			await("the read timeout applies", () -> api.post("/v1/chat/completions",
					chat("lmdeploy:internlm2_5-7b-chat", false)).status() == 504);
		} finally {
			lmdeploy.delayMillis = 0;
			Files.delete(cfg);
		}
	}

	@Test
	void aClientThatHangsUpAbortsTheUpstreamRequest() throws Exception {
		vllm.chunkDelayMillis = 150;
		int before = vllm.aborted.get();
		int completedBefore = vllm.completedStreams.get();
		try {
			hangUpAfterTheFirstWords();
			await("the fake saw its stream cut", () -> vllm.aborted.get() > before);
			assertEquals(completedBefore, vllm.completedStreams.get(), "the upstream stream did not run to its end");
		} finally {
			// only now: a fake that is fast again could finish into socket buffers before the abort lands
			vllm.chunkDelayMillis = 0;
		}
	}

	private static void hangUpAfterTheFirstWords() throws Exception {
		try (Socket s = new Socket("127.0.0.1", runtime.port)) {
			s.setSoTimeout(10_000);
			ObjectNode request = chat("vllm:Qwen/Qwen2.5-7B-Instruct", true);
			((ObjectNode) request.get("messages").get(0)).put("content", "a b c d e f g h i j k l m n o p q r s t u v w");
			byte[] body = Api.JSON.writeValueAsBytes(request);
			OutputStream out = s.getOutputStream();
			out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = in.readLine()) != null && !line.contains("Hello")) {
				assertFalse(line.startsWith("HTTP/1.1 4") || line.startsWith("HTTP/1.1 5"), line);
			}
			assertNotNull(line, "the first words arrived");
		}
	}

	@Test
	void hostChangesLiveFromConf() throws Exception {
		try (FakeOllama other = new FakeOllama(List.of("llama3.2:latest"))) {
			Path cfg = runtime.home.resolve("conf/provider.ollama.cfg");
			Files.writeString(cfg, "host=http://127.0.0.1:" + other.port() + "\n");
			try {
				await("ollama moved", () -> ids().contains("llama3.2:latest"));
				Api.Reply r = api.post("/v1/chat/completions", chat("llama3.2:latest", false));
				assertEquals("Hello from llama3.2:latest: hi", r.text());
				assertEquals(1, other.requests("/api/chat").size());
			} finally {
				Files.delete(cfg);
			}
			await("back on OLLAMA_HOST", () -> ids().contains("qwen2.5:latest"));
		}
	}

	@Test
	void anOpenAiCompatibleServerPerFactoryConfiguration() throws Exception {
		try (FakeOpenAi studio = new FakeOpenAi("/v1", List.of("qwen3-4b"), false)) {
			studio.requiredKey = "studio-key";
			Path cfg = runtime.home.resolve("conf/provider.openai-lmstudio.cfg");
			Files.writeString(cfg, "base.url=" + studio.url() + "\napi.key=studio-key\n");
			try {
				await("lmstudio routable", () -> ids().contains("lmstudio:qwen3-4b"));
				assertEquals("Hello from qwen3-4b: hi", api.post("/v1/chat/completions", chat("lmstudio:qwen3-4b", true)).text());
				assertEquals("Bearer studio-key", studio.last("/v1/chat/completions").header("Authorization"));

				// forwarding: the caller's key goes upstream, and a wrong one is the caller's 401
				Files.writeString(cfg, "base.url=" + studio.url() + "/v1\nforward.caller.key=true\n");
				await("forwarding applies", () -> api.post("/v1/chat/completions", chat("lmstudio:qwen3-4b", false),
						"Authorization", "Bearer wrong").status() == 401);
				Api.Reply ok = api.post("/v1/chat/completions", chat("lmstudio:qwen3-4b", false), "Authorization",
						"Bearer studio-key");
				assertEquals(200, ok.status(), ok.body());
			} finally {
				Files.delete(cfg);
			}
			await("lmstudio withdrawn", () -> !ids().contains("lmstudio:qwen3-4b"));
		}
	}

	@Test
	void aStreamThatWaitsLongerThanAHeartbeatStillGetsItsRealStatus() throws Exception {
		// vLLM's queue is full and says so after 12 s: the client gets that 429, not a 200 with an in-band error
		vllm.delayMillis = 12_000;
		vllm.failStatus = 429;
		try {
			Api.Reply r = api.post("/v1/chat/completions", chat("vllm:Qwen/Qwen2.5-7B-Instruct", true));
			assertEquals(429, r.status(), r.body());
			assertEquals("2", r.header("Retry-After"));
			assertTrue(r.json().at("/error/message").asText().contains("queue full"), r.body());
		} finally {
			vllm.delayMillis = 0;
			vllm.failStatus = 0;
		}
	}

	@Test
	void anUpstreamRefusingTheConfiguredKeyIsAPermanent502LoggedWithTheBundle() throws Exception {
		vllm.failStatus = 401;
		try {
			Api.Reply r = api.post("/v1/chat/completions", chat("vllm:Qwen/Qwen2.5-7B-Instruct", false));
			assertEquals(502, r.status(), r.body());
			assertEquals("false", r.header("x-should-retry"), "a retry meets the same key");
			assertTrue(runtime.log().matches("(?s).*provider 'vllm' \\(provider\\.openai [0-9][^)]*\\) answered 502.*"),
					runtime.log());
		} finally {
			vllm.failStatus = 0;
		}
	}

	static ObjectNode chat(String model, boolean stream) {
		ObjectNode body = Api.JSON.createObjectNode().put("model", model).put("stream", stream);
		body.putArray("messages").addObject().put("role", "user").put("content", "hi");
		return body;
	}
}
