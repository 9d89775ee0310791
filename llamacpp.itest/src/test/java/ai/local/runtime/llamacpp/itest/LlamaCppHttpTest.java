package ai.local.runtime.llamacpp.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * provider.llamacpp as a user runs it: bin/local-ai-runtime with LLAMA_CPP_MODEL pointing at a directory of
 * generated GGUF models, the provider and its CPU variant in deploy/, everything over HTTP.
 */
class LlamaCppHttpTest {
	private static final String CONSOLE_PASSWORD = "llama-console";
	private static final int SLOT_CONTEXT = 1024;
	private static RuntimeProcess runtime;
	private static Http http;
	private static Path providers;

	@BeforeAll
	static void start() throws Exception {
		Path models = Path.of(System.getProperty("models.dir"));
		deleteTree(models);
		TinyLlama.tiny("chat", 42).write(models.resolve("chat/model.gguf"));
		TinyLlama.tiny("solo", 7).write(models.resolve("solo.gguf"));
		TinyLlama.terse("terse", 5).write(models.resolve("terse.gguf"));
		TinyLlama.qwen3("qwen3", 3).write(models.resolve("qwen3/model.gguf"));
		Path broken = models.resolve("broken/model.gguf");
		Files.createDirectories(broken.getParent());
		byte[] whole = Files.readAllBytes(models.resolve("solo.gguf"));
		Files.write(broken, java.util.Arrays.copyOf(whole, whole.length / 3)); // a truncated download
		// one byte changed: the vocabulary's token "b" becomes a second "a", on which llama.cpp asserts and aborts
		Path duplicate = models.resolve("vocab-dup/model.gguf");
		Files.createDirectories(duplicate.getParent());
		byte[] dup = whole.clone();
		byte[] b = { 1, 0, 0, 0, 0, 0, 0, 0, 'b' };
		int at = indexOf(dup, b);
		assertTrue(at > 0, "the token 'b' is in the vocabulary");
		dup[at + 8] = 'a';
		Files.write(duplicate, dup);
		providers = Path.of(System.getProperty("repo.root")).resolve("launcher/target/providers");
		List<Path> jars;
		try (Stream<Path> s = Files.list(providers)) {
			jars = s.filter(p -> p.toString().endsWith(".jar")).toList();
		}
		runtime = RuntimeProcess.start(Map.of("LLAMA_CPP_MODEL", models.toString(), "LLAMA_CPP_N_CTX",
				Integer.toString(SLOT_CONTEXT), "LLAMA_CPP_PARALLEL", "2", "LLAMA_CPP_MAX_QUEUED", "1",
				"LLAMA_CPP_N_THREADS", "2", "LLAMA_CPP_MAX_LOADED_MODELS", "4", "RUNTIME_CONSOLE_PASSWORD",
				CONSOLE_PASSWORD), jars);
		http = new Http(runtime.base());
		await("ready", () -> status("/health/ready") == 200);
	}

	/** The Web Console's AI Runtime tab data (llama_cpp is the only provider here). */
	private static JsonNode consoleStatus() throws Exception {
		HttpResponse<String> r = http.get("/system/console/airuntime/status.json", "admin", CONSOLE_PASSWORD);
		assertEquals(200, r.statusCode(), r.body());
		return Http.JSON.readTree(r.body());
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	@Test
	void listsTheModelsOfTheDirectory() throws Exception {
		JsonNode models = Http.JSON.readTree(http.get("/v1/models").body());
		List<String> ids = new ArrayList<>();
		models.get("data").forEach(m -> ids.add(m.get("id").asText()));
		assertEquals(List.of("broken", "chat", "qwen3", "solo", "terse", "vocab-dup"), ids.stream().sorted().toList());
		JsonNode qwen3 = null;
		for (JsonNode m : models.get("data")) {
			qwen3 = m.get("id").asText().equals("qwen3") ? m : qwen3;
		}
		// from the GGUF header, without loading the model
		assertEquals("qwen3", qwen3.get("architecture").asText(), qwen3.toString());
		assertEquals(SLOT_CONTEXT, qwen3.get("context_length").asInt());
		assertEquals(4096, qwen3.get("context_length_trained").asInt());
		assertEquals("F32", qwen3.get("quantization").asText());
		assertEquals(Files.size(Path.of(System.getProperty("models.dir"), "qwen3/model.gguf")), qwen3.get("size").asLong());
		assertEquals("[\"chat\",\"tools\",\"embeddings\"]", qwen3.get("capabilities").toString());
		JsonNode provider = models.get("providers").get(0);
		assertEquals("llama_cpp", provider.get("name").asText());
		assertEquals("ready", provider.get("status").asText());
	}

	@Test
	void theSameSeedGivesTheSameAnswer() throws Exception {
		OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(runtime.base() + "/v1").apiKey("none").build();
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chat").addUserMessage("Hello")
				.maxCompletionTokens(24).seed(11).temperature(0.9).build();
		ChatCompletion first = client.chat().completions().create(params);
		ChatCompletion second = client.chat().completions().create(params);
		String text = first.choices().get(0).message().content().orElseThrow();
		assertFalse(text.isEmpty());
		assertEquals(text, second.choices().get(0).message().content().orElseThrow());
		ChatCompletion other = client.chat().completions().create(params.toBuilder().seed(12).build());
		assertNotEquals(text, other.choices().get(0).message().content().orElseThrow());
		var usage = first.usage().orElseThrow();
		assertTrue(usage.promptTokens() > 5, "prompt tokens counted: " + usage);
		assertTrue(usage.completionTokens() > 0 && usage.completionTokens() <= 24, "completion tokens: " + usage);
	}

	@Test
	void maxTokensEndsWithLengthAndStopStringsCut() throws Exception {
		JsonNode r = http.postOk("/v1/chat/completions", chat("\"max_tokens\":7,\"ignore_eos\":true,\"seed\":1"));
		assertEquals("length", r.at("/choices/0/finish_reason").asText());
		assertEquals(7, r.at("/usage/completion_tokens").asInt());
		String full = r.at("/choices/0/message/content").asText();
		String stop = full.substring(2, 4);
		JsonNode cut = http.postOk("/v1/chat/completions",
				chat("\"max_tokens\":7,\"ignore_eos\":true,\"seed\":1,\"stop\":[" + Http.JSON.writeValueAsString(stop) + "]"));
		assertEquals("stop", cut.at("/choices/0/finish_reason").asText());
		assertEquals(full.substring(0, full.indexOf(stop)), cut.at("/choices/0/message/content").asText());
	}

	@Test
	void streamsEachPieceAsItIsGenerated() throws Exception {
		List<Http.Event> events = http.stream("/v1/chat/completions", chat(
				"\"max_tokens\":300,\"ignore_eos\":true,\"seed\":3,\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
		assertNull(events.get(events.size() - 1), "ends with [DONE]");
		List<Http.Event> content = events.stream().filter(e -> e != null && e.data().at("/choices/0/delta/content").isTextual()
				&& !e.data().at("/choices/0/delta/content").asText().isEmpty()).toList();
		JsonNode usage = events.get(events.size() - 2).data().get("usage");
		assertEquals(300, usage.get("completion_tokens").asInt());
		assertEquals(300, content.size(), "one delta per token");
		long first = content.get(0).nanos();
		long last = content.get(content.size() - 1).nanos();
		assertTrue(first < last / 3, "first piece at " + first / 1_000_000 + " ms, last at " + last / 1_000_000 + " ms");
		assertEquals("length", events.get(events.size() - 3).data().at("/choices/0/finish_reason").asText());
	}

	@Test
	void aClientThatGoesAwayFreesItsSlot() throws Exception {
		for (int i = 0; i < 3; i++) {
			HttpResponse<InputStream> r = http.open("/v1/chat/completions",
					chat("\"max_tokens\":100000,\"ignore_eos\":true,\"stream\":true"));
			assertEquals(200, r.statusCode());
			try (InputStream body = r.body()) {
				body.readNBytes(2000); // a few chunks, then hang up
			}
		}
		await("all slots free", () -> detail().contains("chat (0/2 slots busy, 0 queued)"));
		JsonNode after = http.postOk("/v1/chat/completions", chat("\"max_tokens\":5"));
		assertEquals("assistant", after.at("/choices/0/message/role").asText());
	}

	@Test
	void twoConversationsRunAtOnceAndAThirdWaitsOrIsRefused() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(5);
		try {
			List<Future<HttpResponse<String>>> answers = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				int seed = i;
				answers.add(pool.submit((Callable<HttpResponse<String>>) () -> http.post("/v1/chat/completions",
						chat("\"max_tokens\":900,\"ignore_eos\":true,\"seed\":" + seed))));
			}
			int ok = 0, refused = 0;
			for (Future<HttpResponse<String>> f : answers) {
				HttpResponse<String> r = f.get();
				if (r.statusCode() == 200) {
					ok++;
					assertEquals(900, Http.JSON.readTree(r.body()).at("/usage/completion_tokens").asInt());
				} else {
					assertEquals(429, r.statusCode(), r.body());
					assertTrue(r.headers().firstValue("retry-after").isPresent());
					refused++;
				}
			}
			// two slots and one queue place: at least three are served, the rest refused at once
			assertTrue(ok >= 3, ok + " served, " + refused + " refused");
			assertEquals(5, ok + refused);
			// the console's view of the model: two slots of SLOT_CONTEXT tokens, all free again
			JsonNode loaded = consoleStatus().at("/providers/0/loaded");
			JsonNode chat = null;
			for (JsonNode m : loaded) {
				chat = m.path("model").asText().equals("chat") ? m : chat;
			}
			assertTrue(chat != null, loaded.toString());
			assertEquals(2, chat.path("slots").asInt(), chat.toString());
			assertEquals(0, chat.path("busy").asInt(), chat.toString());
			assertEquals(SLOT_CONTEXT, chat.path("contextPerSlot").asInt(), chat.toString());
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void anOverlongConversationKeepsItsSystemPromptAndNewestTurns() throws Exception {
		StringBuilder messages = new StringBuilder("{\"role\":\"system\",\"content\":\"You are terse.\"}");
		for (int i = 0; i < 40; i++) {
			messages.append(",{\"role\":\"user\",\"content\":\"Question ").append(i).append(": ")
					.append("tell me about the weather in Paris today please. ".repeat(2)).append("\"}")
					.append(",{\"role\":\"assistant\",\"content\":\"The weather is sunny and warm.\"}");
		}
		messages.append(",{\"role\":\"user\",\"content\":\"Last question\"}");
		HttpResponse<String> r = http.post("/v1/chat/completions",
				"{\"model\":\"chat\",\"max_tokens\":16,\"messages\":[" + messages + "]}");
		assertEquals(200, r.statusCode(), r.body());
		String trimmed = r.headers().firstValue("x-runtime-context-trimmed").orElseThrow();
		assertTrue(trimmed.matches("\\d+ oldest messages dropped to fit 1024 tokens"), trimmed);
		int prompt = Http.JSON.readTree(r.body()).at("/usage/prompt_tokens").asInt();
		assertTrue(prompt <= SLOT_CONTEXT - 16 && prompt > SLOT_CONTEXT / 4, "prompt tokens " + prompt);

		String huge = "word ".repeat(3000);
		HttpResponse<String> tooBig = http.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":["
				+ "{\"role\":\"system\",\"content\":\"" + huge + "\"},{\"role\":\"user\",\"content\":\"Hi\"}]}");
		assertEquals(400, tooBig.statusCode(), tooBig.body());
		String message = Http.JSON.readTree(tooBig.body()).at("/error/message").asText();
		assertTrue(message.matches("The prompt is \\d+ tokens, but a slot's context holds 1024 tokens.*"), message);
	}

	private static final String WEATHER_TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
			+ "\"description\":\"Weather for a city\",\"parameters\":{\"type\":\"object\",\"properties\":{"
			+ "\"city\":{\"type\":\"string\",\"enum\":[\"Paris\",\"Berlin\",\"Tokyo\"]},"
			+ "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9}},\"required\":[\"city\",\"days\"]}}}";
	private static final String TIME_TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_time\","
			+ "\"parameters\":{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\",\"maxLength\":6}},"
			+ "\"required\":[\"zone\"]}}}";

	@Test
	void requiredToolCallsAreSchemaValid() throws Exception {
		for (int seed = 0; seed < 4; seed++) {
			// the test model's template is Hermes-style: calls in <tool_call> tags, forced by a grammar in that syntax
			boolean parallel = seed >= 2;
			JsonNode r = http.postOk("/v1/chat/completions", chat("\"max_tokens\":300,\"seed\":" + seed
					+ ",\"tools\":[" + WEATHER_TOOL + "," + TIME_TOOL + "],\"tool_choice\":\"required\","
					+ "\"parallel_tool_calls\":" + parallel));
			String reason = r.at("/choices/0/finish_reason").asText();
			List<JsonNode> calls = new java.util.ArrayList<>();
			r.at("/choices/0/message/tool_calls").forEach(calls::add);
			if (parallel && reason.equals("length")) {
				// random weights rarely stop calling: every call but the cut last one is whole and valid
				calls = calls.subList(0, calls.size() - 1);
			} else {
				assertEquals("tool_calls", reason, r.toString());
				assertEquals(1, calls.size(), r.toString());
			}
			assertFalse(calls.isEmpty(), r.toString());
			for (JsonNode call : calls) {
				assertTrue(call.get("id").asText().startsWith("call_"));
				assertEquals("function", call.get("type").asText());
				assertValidArguments(call.at("/function/name").asText(), call.at("/function/arguments").asText());
			}
		}
	}

	@Test
	void aNamedFunctionIsCalledAndStreamedAsDeltas() throws Exception {
		List<Http.Event> events = http.stream("/v1/chat/completions", chat("\"max_tokens\":300,\"seed\":5,\"stream\":true,"
				+ "\"tools\":[" + WEATHER_TOOL + "," + TIME_TOOL + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
				+ "\"parallel_tool_calls\":false"));
		List<JsonNode> deltas = events.stream().filter(e -> e != null && e.data().at("/choices/0/delta/tool_calls").isArray())
				.map(e -> e.data().at("/choices/0/delta/tool_calls/0")).toList();
		JsonNode start = deltas.get(0);
		assertEquals(0, start.get("index").asInt());
		assertTrue(start.get("id").asText().startsWith("call_"));
		assertEquals("function", start.get("type").asText());
		assertEquals("get_weather", start.at("/function/name").asText());
		assertEquals("", start.at("/function/arguments").asText());
		StringBuilder arguments = new StringBuilder();
		for (JsonNode d : deltas.subList(1, deltas.size())) {
			assertEquals(0, d.get("index").asInt());
			assertFalse(d.has("id"), "only the first delta carries the id");
			arguments.append(d.at("/function/arguments").asText());
		}
		assertTrue(deltas.size() > 3, "arguments arrive in pieces: " + deltas.size());
		assertValidArguments("get_weather", arguments.toString());
		assertEquals("tool_calls", events.get(events.size() - 2).data().at("/choices/0/finish_reason").asText());
	}

	@Test
	void autoToolChoiceAnswersWithTextOrCalls() throws Exception {
		for (int seed = 0; seed < 3; seed++) {
			JsonNode r = http.postOk("/v1/chat/completions", chat("\"max_tokens\":400,\"seed\":" + seed
					+ ",\"tools\":[" + WEATHER_TOOL + "]"));
			JsonNode message = r.at("/choices/0/message");
			String reason = r.at("/choices/0/finish_reason").asText();
			if (message.has("tool_calls") && message.get("tool_calls").size() > 0) {
				assertEquals("tool_calls", reason);
				assertValidArguments("get_weather", message.at("/tool_calls/0/function/arguments").asText());
			} else {
				assertTrue(reason.equals("stop") || reason.equals("length"), r.toString());
				assertFalse(message.get("content").asText().startsWith("{\"response\""), "text is unwrapped: " + r);
			}
		}
	}

	@Test
	void toolResultsGoBackThroughTheTemplate() throws Exception {
		String messages = "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
				+ "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
				+ "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\",\\\"days\\\":1}\"}}]},"
				+ "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny, 24 C\"}]";
		JsonNode withResult = http.postOk("/v1/chat/completions", "{\"model\":\"chat\",\"max_tokens\":4,\"tools\":["
				+ WEATHER_TOOL + "],\"tool_choice\":\"none\",\"messages\":" + messages + "}");
		JsonNode bare = http.postOk("/v1/chat/completions", "{\"model\":\"chat\",\"max_tokens\":4,\"tool_choice\":\"none\","
				+ "\"tools\":[" + WEATHER_TOOL + "],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}");
		// the call and its result are part of the prompt: the tool_call block and the tool turn add tokens
		assertTrue(withResult.at("/usage/prompt_tokens").asInt() > bare.at("/usage/prompt_tokens").asInt() + 20);
		assertEquals("assistant", withResult.at("/choices/0/message/role").asText());
	}

	@Test
	void jsonSchemaOutputIsValid() throws Exception {
		String schema = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"},"
				+ "\"count\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":99},\"color\":{\"enum\":[\"red\",\"green\"]}},"
				+ "\"required\":[\"ok\",\"count\",\"color\"],\"additionalProperties\":false}";
		for (int seed = 0; seed < 3; seed++) {
			JsonNode r = http.postOk("/v1/chat/completions", chat("\"max_tokens\":200,\"seed\":" + seed
					+ ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"schema\":" + schema + "}}"));
			JsonNode answer = Http.JSON.readTree(r.at("/choices/0/message/content").asText());
			assertTrue(answer.get("ok").isBoolean(), answer.toString());
			assertTrue(answer.get("count").isInt() && answer.get("count").asInt() <= 99, answer.toString());
			assertTrue(List.of("red", "green").contains(answer.get("color").asText()), answer.toString());
			assertEquals(3, answer.size());
		}
		JsonNode object = http.postOk("/v1/chat/completions", chat("\"max_tokens\":300,\"seed\":1,\"ignore_eos\":false,"
				+ "\"response_format\":{\"type\":\"json_object\"}"));
		String text = object.at("/choices/0/message/content").asText();
		assertTrue(text.trim().startsWith("{"), text);
		if (object.at("/choices/0/finish_reason").asText().equals("stop")) {
			assertTrue(Http.JSON.readTree(text).isObject(), text);
		}
	}

	@Test
	void embeddingsAreNormalisedBatchedAndBase64Encoded() throws Exception {
		JsonNode floats = http.postOk("/v1/embeddings", "{\"model\":\"chat\",\"input\":[\"hello world\",\"the weather\",\"hello world\"]}");
		JsonNode data = floats.get("data");
		assertEquals(3, data.size());
		float[] a = vector(data.get(0).get("embedding"));
		assertEquals(64, a.length);
		assertEquals(1.0, norm(a), 1e-3);
		assertEquals(Http.JSON.writeValueAsString(data.get(0).get("embedding")), Http.JSON.writeValueAsString(data.get(2).get("embedding")));
		assertNotEquals(Http.JSON.writeValueAsString(data.get(0).get("embedding")), Http.JSON.writeValueAsString(data.get(1).get("embedding")));
		assertTrue(floats.at("/usage/prompt_tokens").asInt() > 3);

		JsonNode b64 = http.postOk("/v1/embeddings", "{\"model\":\"chat\",\"input\":\"hello world\",\"encoding_format\":\"base64\"}");
		ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(64 * 4, bytes.remaining());
		for (float x : a) {
			assertEquals(x, bytes.getFloat(), 1e-6);
		}
		JsonNode shorter = http.postOk("/v1/embeddings", "{\"model\":\"chat\",\"input\":\"hello world\",\"dimensions\":16}");
		float[] s = vector(shorter.at("/data/0/embedding"));
		assertEquals(16, s.length);
		assertEquals(1.0, norm(s), 1e-3);
		assertEquals(400, http.post("/v1/embeddings", "{\"model\":\"chat\",\"input\":\"x\",\"dimensions\":65}").statusCode());
	}

	@Test
	void schemaBoundsBeyondTheTokenBudgetCostNothing() throws Exception {
		// the attack run's 200-byte request grew the JVM from 1.0 to 7.2 GB
		long t0 = System.nanoTime();
		HttpResponse<String> huge = http.post("/v1/chat/completions", chat("\"max_tokens\":64,\"response_format\":{"
				+ "\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"string\","
				+ "\"minLength\":1000000000}}}"));
		assertEquals(400, huge.statusCode(), huge.body());
		assertTrue(huge.body().contains("minLength"), huge.body());
		HttpResponse<String> viaTool = http.post("/v1/chat/completions", chat("\"max_tokens\":64,\"tool_choice\":\"required\","
				+ "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
				+ "\"properties\":{\"s\":{\"type\":\"string\",\"minLength\":1000000000}},\"required\":[\"s\"]}}}]"));
		assertEquals(400, viaTool.statusCode(), viaTool.body());
		// an upper bound no answer can reach is lowered, not expanded
		JsonNode capped = http.postOk("/v1/chat/completions", chat("\"max_tokens\":8,\"response_format\":{"
				+ "\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"string\","
				+ "\"maxLength\":1000000000}}}"));
		assertTrue(capped.at("/choices/0/message/content").asText().startsWith("\""), capped.toString());
		assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
	}

	@Test
	void ignoreEosGeneratesMaxTokensFromAModelThatEndsEarly() throws Exception {
		String ask = "{\"model\":\"terse\",\"max_tokens\":40,\"seed\":%d,\"temperature\":0.8%s,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		int ended = 0;
		for (int seed = 1; seed <= 3; seed++) {
			JsonNode free = http.postOk("/v1/chat/completions", String.format(ask, seed, ""));
			if (free.at("/choices/0/finish_reason").asText().equals("stop")) {
				ended++;
				assertTrue(free.at("/usage/completion_tokens").asInt() < 40, free.toString());
			}
			JsonNode forced = http.postOk("/v1/chat/completions", String.format(ask, seed, ",\"ignore_eos\":true"));
			assertEquals("length", forced.at("/choices/0/finish_reason").asText(), forced.toString());
			assertEquals(40, forced.at("/usage/completion_tokens").asInt(), forced.toString());
		}
		assertTrue(ended > 0, "the terse model ends its turn by itself");
	}

	/**
	 * A second turn decodes only what its slot's KV cache lacks, and every dialect says so: OpenAI's cached_tokens,
	 * llama-server's timings, Anthropic's cache_read_input_tokens (input_tokens is the rest), Ollama's durations.
	 */
	@Test
	void aSecondTurnReadsOnlyItsNewTokensAndEachDialectReportsTheCacheAndTheTimes() throws Exception {
		String question = "{\"role\":\"user\",\"content\":\"" + "Tell me about the tides of the northern sea. ".repeat(12) + "\"}";
		JsonNode first = http.postOk("/v1/chat/completions", "{\"model\":\"solo\",\"max_tokens\":4,\"seed\":1,"
				+ "\"messages\":[" + question + "]}");
		int firstPrompt = first.at("/usage/prompt_tokens").asInt();
		assertTrue(first.at("/usage/prompt_tokens_details/cached_tokens").asInt() < firstPrompt / 2, first.toString());
		String answer = Http.JSON.writeValueAsString(first.at("/choices/0/message/content").asText());
		String turns = "[" + question + ",{\"role\":\"assistant\",\"content\":" + answer
				+ "},{\"role\":\"user\",\"content\":\"And in the south?\"}]";
		String second = "{\"model\":\"solo\",\"max_tokens\":4,\"seed\":1,\"messages\":" + turns;

		JsonNode warm = http.postOk("/v1/chat/completions", second + "}");
		int prompt = warm.at("/usage/prompt_tokens").asInt(), cached = warm.at("/usage/prompt_tokens_details/cached_tokens").asInt();
		assertTrue(cached >= firstPrompt - 1 && cached < prompt, cached + " of " + prompt + " cached, turn 1 had " + firstPrompt);
		JsonNode t = warm.get("timings");
		assertNotNull(t, warm.toString());
		assertEquals(cached, t.get("cache_n").asInt());
		assertEquals(prompt - cached, t.get("prompt_n").asInt());
		assertEquals(warm.at("/usage/completion_tokens").asInt(), t.get("predicted_n").asInt());
		assertTrue(t.get("prompt_ms").asDouble() > 0 && t.get("predicted_ms").asDouble() > 0, t.toString());
		assertEquals(t.get("prompt_n").asInt() * 1000 / t.get("prompt_ms").asDouble(), t.get("prompt_per_second").asDouble(), 0.01);

		JsonNode cold = http.postOk("/v1/chat/completions", second + ",\"cache_prompt\":false}");
		assertEquals(0, cold.at("/usage/prompt_tokens_details/cached_tokens").asInt(), cold.toString());
		assertEquals(prompt, cold.at("/timings/prompt_n").asInt());

		// streamed: the timings on the last chunk, the usage chunk when there is one
		List<Http.Event> events = http.stream("/v1/chat/completions", second + ",\"stream\":true}");
		JsonNode finish = events.get(events.size() - 2).data();
		assertTrue(finish.at("/timings/cache_n").asInt() >= cached, finish.toString());
		assertEquals(prompt, finish.at("/timings/cache_n").asInt() + finish.at("/timings/prompt_n").asInt(), finish.toString());
		events = http.stream("/v1/chat/completions", second + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
		JsonNode usage = events.get(events.size() - 2).data();
		assertEquals(usage.at("/timings/cache_n").asInt(), usage.at("/usage/prompt_tokens_details/cached_tokens").asInt(),
				usage.toString());
		assertEquals(prompt, usage.at("/timings/cache_n").asInt() + usage.at("/timings/prompt_n").asInt(), usage.toString());
		assertFalse(events.get(events.size() - 3).data().has("timings"), "only on the last chunk");

		String messages = "{\"model\":\"solo\",\"max_tokens\":4,\"messages\":" + turns + "}";
		int counted = http.postOk("/v1/messages/count_tokens", messages).get("input_tokens").asInt();
		JsonNode anthropic = http.postOk("/v1/messages", messages).get("usage");
		assertTrue(anthropic.get("cache_read_input_tokens").asInt() >= firstPrompt - 1, anthropic.toString());
		assertEquals(counted, anthropic.get("input_tokens").asInt() + anthropic.get("cache_read_input_tokens").asInt(),
				"Anthropic's input_tokens leaves the cached part out: " + anthropic);
		// streamed, message_start already says it (clients track the context from it)
		List<Http.Event> anthropicEvents = http.stream("/v1/messages", messages.replaceFirst("\\{", "{\"stream\":true,"));
		JsonNode start = anthropicEvents.get(0).data().at("/message/usage");
		assertEquals(counted, start.get("input_tokens").asInt() + start.get("cache_read_input_tokens").asInt(), start.toString());
		assertTrue(start.get("cache_read_input_tokens").asInt() >= firstPrompt - 1, start.toString());

		JsonNode ollama = http.postOk("/api/chat", "{\"model\":\"solo\",\"stream\":false,\"options\":{\"num_predict\":4},"
				+ "\"messages\":" + turns + "}");
		long promptEval = ollama.get("prompt_eval_duration").asLong(), eval = ollama.get("eval_duration").asLong();
		assertTrue(promptEval > 0 && eval > 0 && ollama.get("total_duration").asLong() >= promptEval + eval, ollama.toString());

		JsonNode llama = http.postOk("/completion", "{\"model\":\"solo\",\"n_predict\":3,\"prompt\":\"The tides\"}");
		assertEquals(llama.get("tokens_evaluated").asInt(), llama.at("/timings/prompt_n").asInt() + llama.at("/timings/cache_n").asInt(),
				llama.toString());
		assertEquals(llama.get("tokens_predicted").asInt(), llama.at("/timings/predicted_n").asInt());

		java.util.regex.Matcher metric = java.util.regex.Pattern.compile(
				"runtime_tokens_total\\{provider=\"llama_cpp\",model=\"solo\",direction=\"cached\"} (\\d+)")
				.matcher(http.get("/metrics").body());
		assertTrue(metric.find() && Long.parseLong(metric.group(1)) >= 3L * cached, "the cached tokens are counted");
	}

	/** llama-server's grammar field (GBNF) on chat and text completions; what llama.cpp cannot parse is a 400. */
	@Test
	void aGbnfGrammarHoldsTheAnswer() throws Exception {
		String yesNo = "\"grammar\":\"root ::= (\\\"yes\\\" | \\\"no\\\") \\\".\\\"\"";
		for (int seed = 1; seed <= 3; seed++) {
			JsonNode r = http.postOk("/v1/chat/completions", chat("\"max_tokens\":20,\"seed\":" + seed + "," + yesNo));
			assertTrue(List.of("yes.", "no.").contains(r.at("/choices/0/message/content").asText()), r.toString());
			JsonNode text = http.postOk("/v1/completions", "{\"model\":\"chat\",\"prompt\":\"Answer:\",\"max_tokens\":20,"
					+ "\"seed\":" + seed + "," + yesNo + "}");
			assertTrue(List.of("yes.", "no.").contains(text.at("/choices/0/text").asText()), text.toString());
		}
		HttpResponse<String> unparsable = http.post("/v1/chat/completions", chat("\"max_tokens\":5,\"grammar\":\"root ::= (\""));
		assertEquals(400, unparsable.statusCode(), unparsable.body());
		assertTrue(unparsable.body().contains("grammar"), unparsable.body());
		HttpResponse<String> deep = http.post("/v1/chat/completions", chat("\"max_tokens\":5,\"grammar\":\"root ::= "
				+ "(".repeat(5000) + "\\\"x\\\"" + ")".repeat(5000) + "\""));
		assertEquals(400, deep.statusCode(), deep.body());
		assertTrue(deep.body().contains("nests groups"), deep.body());
		assertEquals(400, http.post("/v1/chat/completions", chat("\"max_tokens\":5,\"grammar\":\"root ::= \\\"x\\\"\","
				+ "\"response_format\":{\"type\":\"json_object\"}")).statusCode());
		assertEquals(400, http.post("/v1/chat/completions", chat("\"max_tokens\":5,\"grammar\":7")).statusCode());
		assertEquals(200, http.get("/health").statusCode());
	}

	/** A grammar that allows no further token used to abort the JVM (llama.cpp's grammar aborts on a token it refuses). */
	@Test
	void aSchemaWithIgnoreEosOrEverythingBannedEndsTheAnswerAndTheRuntimeLives() throws Exception {
		String schema = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":"
				+ "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"boolean\"}},\"required\":[\"a\"],"
				+ "\"additionalProperties\":false}}}";
		JsonNode r = http.postOk("/v1/chat/completions", chat("\"max_tokens\":300,\"ignore_eos\":true,\"seed\":3," + schema));
		assertTrue(Http.JSON.readTree(r.at("/choices/0/message/content").asText()).get("a").isBoolean(), r.toString());
		assertEquals("stop", r.at("/choices/0/finish_reason").asText(), r.toString());
		HttpResponse<String> outside = http.post("/v1/chat/completions", chat("\"max_tokens\":2,\"logit_bias\":{\"99999\":1}"));
		assertEquals(400, outside.statusCode(), outside.body());
		java.util.regex.Matcher range = java.util.regex.Pattern.compile("vocabulary \\(0\\.\\.(\\d+)\\)").matcher(outside.body());
		assertTrue(range.find(), outside.body());
		StringBuilder banAll = new StringBuilder("[");
		for (int t = 0, last = Integer.parseInt(range.group(1)); t <= last; t++) {
			banAll.append(t == 0 ? "" : ",").append("[").append(t).append(",false]");
		}
		JsonNode none = http.postOk("/v1/chat/completions", chat("\"max_tokens\":20,\"seed\":3,\"logit_bias\":"
				+ banAll.append("]") + "," + schema));
		assertEquals("", none.at("/choices/0/message/content").asText(), none.toString());
		assertEquals(200, http.get("/health").statusCode());
		// OpenAI's range; llama-server's list form with false for a ban, as above
		HttpResponse<String> outOfRange = http.post("/v1/chat/completions", chat("\"max_tokens\":2,\"logit_bias\":{\"5\":1e39}"));
		assertEquals(400, outOfRange.statusCode(), outOfRange.body());
		assertTrue(outOfRange.body().contains("from -100 to 100"), outOfRange.body());
		assertEquals(400, http.post("/v1/chat/completions", chat("\"max_tokens\":2,\"logit_bias\":[[5]]")).statusCode());
		assertEquals(400, http.post("/v1/chat/completions", chat("\"max_tokens\":2,\"logit_bias\":\"5\"")).statusCode());
	}

	@Test
	void aModelLlamaCppAbortsOnIsRefusedAndTheRuntimeLives() throws Exception {
		String body = "{\"model\":\"vocab-dup\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		HttpResponse<String> r = http.post("/v1/chat/completions", body);
		assertEquals(503, r.statusCode(), r.body());
		JsonNode error = Http.JSON.readTree(r.body()).get("error");
		assertEquals("model_load_failed", error.get("code").asText());
		assertTrue(error.get("message").asText().contains("vocab-dup/model.gguf"), error.toString());
		assertTrue(error.get("message").asText().contains("aborts"), error.toString());
		assertEquals("false", r.headers().firstValue("x-should-retry").orElse(null));
		// the runtime is alive and serves the other models; the verdict is remembered
		assertEquals(200, status("/health"));
		assertEquals(200, http.post("/v1/chat/completions", chat("\"max_tokens\":3")).statusCode());
		long t0 = System.nanoTime();
		assertEquals(503, http.post("/v1/chat/completions", body).statusCode());
		assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "remembered, not probed again");
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	@Test
	void aCorruptModelIsAClearErrorAndTheRestKeepsServing() throws Exception {
		HttpResponse<String> r = http.post("/v1/chat/completions", "{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
		assertEquals(503, r.statusCode(), r.body());
		JsonNode error = Http.JSON.readTree(r.body()).get("error");
		assertEquals("model_load_failed", error.get("code").asText());
		assertTrue(error.get("message").asText().contains("broken/model.gguf"), error.toString());
		assertEquals("false", r.headers().firstValue("x-should-retry").orElse(null), "a file that is no model stays so");
		// remembered: the second request fails the same way at once
		assertEquals(503, http.post("/v1/chat/completions", "{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").statusCode());
		assertEquals(200, http.post("/v1/chat/completions", "{\"model\":\"solo\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").statusCode());
		HttpResponse<String> unknown = http.post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
		assertEquals(404, unknown.statusCode());
		assertTrue(unknown.body().contains("available: broken, chat, qwen3, solo, terse, vocab-dup"), unknown.body());
	}

	@Test
	void theEngineIsLlamaCppOfThePinnedReleaseThroughFfm() throws Exception {
		assertTrue(detail().startsWith("cpu engine"), detail());
		String log = runtime.log();
		assertTrue(log.contains("llama.cpp engine: llama.cpp 0.4.0 from"), "the engine says what it loaded");
		assertTrue(log.contains("devices: CPU"), "and on which devices");
	}

	@Test
	void aBackendBundleIsLoadedIntoTheRunningEngineAndUnloadedAgain() throws Exception {
		// the mechanism of a GPU backend bundle, on the CPU: ggml's haswell CPU backend as the bundle's library
		byte[] library;
		try (JarFile cpu = new JarFile(providers.resolve("llama.native.linux-x64.jar").toFile());
				InputStream in = cpu.getInputStream(cpu.getEntry("native/linux-x64/libggml-cpu-haswell.so"))) {
			library = in.readAllBytes();
		}
		Path jar = backendJar("cpu-haswell", library);
		assertEquals(200, http.post("/v1/chat/completions", chat("\"max_tokens\":3")).statusCode());
		runtime.deploy(jar, "llama.native.linux-x64-cpu-haswell.jar");
		await("backend loaded", () -> runtime.log().contains("cpu-haswell backend loaded"));
		assertTrue(runtime.log().matches("(?s).*cpu-haswell backend loaded \\(devices: CPU: [^,]*, CPU: .*"),
				"a second device is registered");
		assertEquals(200, http.post("/v1/chat/completions", chat("\"max_tokens\":3")).statusCode(), "models load again");
		runtime.undeploy("llama.native.linux-x64-cpu-haswell.jar");
		await("backend unloaded", () -> runtime.log().contains("cpu-haswell backend unloaded"));
		assertEquals(200, http.post("/v1/chat/completions", chat("\"max_tokens\":3")).statusCode());
	}

	@Test
	void aBackendThatCannotLoadLeavesTheModelsOnTheCpu() throws Exception {
		Path jar = backendJar("nogpu", "not a library, as a CUDA backend is without its driver".getBytes(StandardCharsets.UTF_8));
		runtime.deploy(jar, "llama.native.linux-x64-nogpu.jar");
		await("refused", () -> runtime.log().contains("the nogpu backend of llama.native.linux-x64-nogpu cannot be loaded"));
		assertEquals(200, http.post("/v1/chat/completions", chat("\"max_tokens\":3")).statusCode());
		assertTrue(detail().startsWith("cpu engine"), detail());
		runtime.undeploy("llama.native.linux-x64-nogpu.jar");
	}

	@Test
	void aQwen3ModelLoadsChatsStreamsCallsToolsAndEmbeds() throws Exception {
		// qwen3 did not exist for the llama.cpp of java-llama.cpp 4.2.0: "unknown model architecture: 'qwen3'"
		JsonNode r = http.postOk("/v1/chat/completions", "{\"model\":\"qwen3\",\"max_tokens\":12,\"ignore_eos\":true,"
				+ "\"seed\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
		assertEquals(12, r.at("/usage/completion_tokens").asInt(), r.toString());
		assertFalse(r.at("/choices/0/message/content").asText().isEmpty());
		List<Http.Event> events = http.stream("/v1/chat/completions", "{\"model\":\"qwen3\",\"max_tokens\":20,"
				+ "\"ignore_eos\":true,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
		assertNull(events.get(events.size() - 1), "ends with [DONE]");
		JsonNode call = http.postOk("/v1/chat/completions", "{\"model\":\"qwen3\",\"max_tokens\":200,\"seed\":1,"
				+ "\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":\"required\",\"parallel_tool_calls\":false,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}");
		assertEquals("tool_calls", call.at("/choices/0/finish_reason").asText(), call.toString());
		assertValidArguments("get_weather", call.at("/choices/0/message/tool_calls/0/function/arguments").asText());
		JsonNode e = http.postOk("/v1/embeddings", "{\"model\":\"qwen3\",\"input\":\"a qwen3 embedding\"}");
		assertEquals(1.0, norm(vector(e.at("/data/0/embedding"))), 1e-3);
	}

	/** A GPU backend bundle as llama.native.linux-x64-cuda is one: headers and native/linux-x64/libggml-NAME.so. */
	private static Path backendJar(String name, byte[] library) throws Exception {
		Path jar = runtime.home.resolve(name + "-backend.jar");
		Manifest mf = new Manifest();
		Attributes a = mf.getMainAttributes();
		a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		a.putValue("Bundle-ManifestVersion", "2");
		a.putValue("Bundle-SymbolicName", "llama.native.linux-x64-" + name);
		a.putValue("Bundle-Version", "0.1.0");
		a.putValue("Llama-Native-Platform", "linux-x64");
		a.putValue("Llama-Native-Release", "0.4.0");
		a.putValue("Llama-Native-Backend", name);
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
			out.putNextEntry(new JarEntry("native/linux-x64/libggml-" + name + ".so"));
			out.write(library);
			out.closeEntry();
		}
		return jar;
	}

	private static void assertValidArguments(String tool, String arguments) throws Exception {
		JsonNode args = Http.JSON.readTree(arguments);
		if (tool.equals("get_weather")) {
			assertTrue(List.of("Paris", "Berlin", "Tokyo").contains(args.get("city").asText()), arguments);
			assertTrue(args.get("days").isInt() && args.get("days").asInt() >= 1 && args.get("days").asInt() <= 9, arguments);
			assertEquals(2, args.size(), arguments);
		} else {
			assertEquals("get_time", tool);
			assertTrue(args.get("zone").isTextual() && args.get("zone").asText().length() <= 6, arguments);
		}
	}

	private static String chat(String more) {
		return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]," + more + "}";
	}

	private static String detail() {
		try {
			return Http.JSON.readTree(http.get("/v1/models").body()).at("/providers/0/detail").asText();
		} catch (Exception e) {
			return e.toString();
		}
	}

	private static int status(String path) {
		try {
			return http.get(path).statusCode();
		} catch (Exception e) {
			return -1;
		}
	}

	private static float[] vector(JsonNode array) {
		float[] v = new float[array.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = (float) array.get(i).asDouble();
		}
		return v;
	}

	private static double norm(float[] v) {
		double n = 0;
		for (float x : v) {
			n += x * x;
		}
		return Math.sqrt(n);
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("timed out waiting until " + what + "\n" + runtime.log());
	}

	private static void deleteTree(Path dir) throws Exception {
		if (Files.exists(dir)) {
			try (Stream<Path> paths = Files.walk(dir)) {
				paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}
}
