package ai.local.runtime.llamacpp.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.testing.gguf.GgufTokenizer;
import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * The dialects beyond OpenAI chat on real llama.cpp: text completions and fill-in-the-middle in the model's own
 * FIM tokens, Anthropic's token count, Ollama's show and chat with think, on Qwen 3 and Llama 3.1 GGUFs with
 * their real tokenizers and templates.
 */
class OtherDialectsTest {
	private static final Path SRC = Path.of(System.getProperty("llama.src"));
	private static RuntimeProcess runtime;
	private static Http http;

	@BeforeAll
	static void start() throws Exception {
		Path models = Path.of(System.getProperty("models.dir") + "-dialects");
		RuntimeProcess.deleteTree(models);
		GgufTokenizer qwen = GgufTokenizer.read(SRC.resolve("models/ggml-vocab-qwen2.gguf"), "<|im_end|>", false)
				.withTokens(ModelFamiliesTest.QWEN_ADDED, 4);
		TinyLlama.withTokenizer("qwen3", "qwen3", qwen,
				Files.readString(SRC.resolve("models/templates/Qwen-Qwen3-0.6B.jinja")), 11).write(models.resolve("qwen3.gguf"));
		GgufTokenizer llama = GgufTokenizer.read(SRC.resolve("models/ggml-vocab-llama-bpe.gguf"), "<|eot_id|>", true);
		TinyLlama.withTokenizer("llama", "llama31", llama,
				Files.readString(SRC.resolve("models/templates/meta-llama-Llama-3.1-8B-Instruct.jinja")), 11)
				.write(models.resolve("llama31.gguf"));
		TinyLlama.qwen3Reranker("reranker", 4).write(models.resolve("reranker.gguf"));
		runtime = Runtimes.start("dialects", Map.of("LLAMA_CPP_MODEL", models.toString(), "LLAMA_CPP_N_CTX", "2048",
				"LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_THREADS", "2", "LLAMA_CPP_MAX_LOADED_MODELS", "3"));
		http = new Http(runtime.base());
		http.awaitReady();
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	private static int tokens(String model, String text, boolean special) throws Exception {
		return http.postOk("/tokenize", Http.JSON.writeValueAsString(Map.of("model", model, "content", text,
				"add_special", special))).get("tokens").size();
	}

	/** The prompt's token ids as /tokenize gives them, with the model's start token. */
	private static JsonNode ids(String model, String text) throws Exception {
		return http.postOk("/tokenize", Http.JSON.writeValueAsString(Map.of("model", model, "content", text,
				"add_special", true))).get("tokens");
	}

	@Test
	void textCompletionsContinueThePromptAsWritten() throws Exception {
		JsonNode whole = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":\"The capital of France is\","
				+ "\"max_tokens\":5,\"temperature\":0,\"echo\":true}");
		assertEquals("text_completion", whole.get("object").asText());
		assertEquals(tokens("qwen3", "The capital of France is", true), whole.at("/usage/prompt_tokens").asInt());
		assertTrue(whole.at("/usage/completion_tokens").asInt() <= 5);
		String text = whole.at("/choices/0/text").asText();
		assertTrue(text.startsWith("The capital of France is"), text); // echo

		StringBuilder streamed = new StringBuilder();
		List<Http.Event> events = http.stream("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":\"The capital of "
				+ "France is\",\"max_tokens\":5,\"temperature\":0,\"stream\":true}");
		assertEquals(null, events.get(events.size() - 1), "the stream ends with [DONE]");
		events = events.subList(0, events.size() - 1);
		for (Http.Event e : events) {
			assertEquals("text_completion", e.data().get("object").asText());
			streamed.append(e.data().at("/choices/0/text").asText());
		}
		assertEquals(text.substring("The capital of France is".length()), streamed.toString()); // greedy: the same
		assertFalse(events.get(events.size() - 1).data().at("/choices/0/finish_reason").isNull());
	}

	/**
	 * OpenAI's and llama-server's prompt of token ids (evaluation harnesses send them): the same as its text; an
	 * array of prompts gives a choice each.
	 */
	@Test
	void aPromptOfTokenIdsIsTheSameAsItsTextAndSeveralPromptsAreAChoiceEach() throws Exception {
		String text = "The capital of France is";
		JsonNode ids = ids("qwen3", text);
		JsonNode byText = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":\"" + text + "\",\"max_tokens\":6,"
				+ "\"temperature\":0}");
		for (String prompt : List.of(ids.toString(), "[" + ids + "]")) {
			JsonNode byIds = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":" + prompt
					+ ",\"max_tokens\":6,\"temperature\":0,\"echo\":true}");
			assertEquals(ids.size(), byIds.at("/usage/prompt_tokens").asInt(), byIds.toString());
			// echo gives the ids' text (qwen3's vocabulary adds no start token)
			assertEquals(text + byText.at("/choices/0/text").asText(), byIds.at("/choices/0/text").asText(), prompt);
		}
		List<Http.Event> events = http.stream("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":" + ids
				+ ",\"max_tokens\":6,\"temperature\":0,\"stream\":true}");
		StringBuilder streamed = new StringBuilder();
		events.stream().filter(e -> e != null).forEach(e -> streamed.append(e.data().at("/choices/0/text").asText()));
		assertEquals(byText.at("/choices/0/text").asText(), streamed.toString());
		JsonNode llama = http.postOk("/completion", "{\"model\":\"qwen3\",\"prompt\":" + ids + ",\"n_predict\":6,"
				+ "\"temperature\":0}");
		assertEquals(byText.at("/choices/0/text").asText(), llama.get("content").asText());
		assertEquals(ids.size(), llama.get("tokens_evaluated").asInt());

		// several prompts: a choice each, in order, the usage of them all
		JsonNode both = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":[\"" + text + "\"," + ids + ",\"Hello\"],"
				+ "\"max_tokens\":6,\"temperature\":0}");
		JsonNode hello = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":\"Hello\",\"max_tokens\":6,\"temperature\":0}");
		assertEquals(3, both.get("choices").size(), both.toString());
		for (int i = 0; i < 3; i++) {
			assertEquals(i, both.at("/choices/" + i + "/index").asInt());
			assertEquals((i < 2 ? byText : hello).at("/choices/0/text").asText(), both.at("/choices/" + i + "/text").asText());
		}
		assertEquals(2 * ids.size() + hello.at("/usage/prompt_tokens").asInt(), both.at("/usage/prompt_tokens").asInt());

		int vocabulary = 999_999_999; // beyond any vocabulary
		for (String bad : List.of("[1, " + vocabulary + "]", "[1, -2]", "[1, 2.5]", "[[1, 2], 3]", "[1, \"x\"]", "[]")) {
			HttpResponse<String> r = http.post("/v1/completions", "{\"model\":\"qwen3\",\"max_tokens\":2,\"prompt\":" + bad + "}");
			assertEquals(400, r.statusCode(), bad + ": " + r.body());
			assertTrue(r.body().contains("prompt"), r.body());
		}
		HttpResponse<String> withSuffix = http.post("/v1/completions", "{\"model\":\"qwen3\",\"max_tokens\":2,\"prompt\":"
				+ ids + ",\"suffix\":\"x\"}");
		assertEquals(400, withSuffix.statusCode(), withSuffix.body());
	}

	/**
	 * echo with logprobs scores the prompt (what evaluation harnesses send, max_tokens 0 or 1): one entry per prompt
	 * token, the first null, each the distribution a generation from the tokens before it sees.
	 */
	@Test
	void echoWithLogprobsScoresEachPromptToken() throws Exception {
		String text = "The capital of France is";
		JsonNode ids = ids("qwen3", text);
		JsonNode scored = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":" + ids + ",\"max_tokens\":0,"
				+ "\"echo\":true,\"logprobs\":3}");
		assertEquals(text, scored.at("/choices/0/text").asText(), "max_tokens 0: the prompt alone");
		assertEquals("length", scored.at("/choices/0/finish_reason").asText());
		assertEquals(0, scored.at("/usage/completion_tokens").asInt());
		JsonNode lp = scored.at("/choices/0/logprobs");
		assertEquals(ids.size(), lp.get("tokens").size(), lp.toString());
		assertTrue(lp.get("token_logprobs").get(0).isNull() && lp.get("top_logprobs").get(0).isNull());
		StringBuilder joined = new StringBuilder();
		lp.get("tokens").forEach(t -> joined.append(t.asText()));
		assertEquals(text, joined.toString());
		for (int k = 1; k < ids.size(); k++) {
			double own = lp.get("token_logprobs").get(k).asDouble();
			JsonNode top = lp.get("top_logprobs").get(k);
			assertEquals(3, top.size());
			double best = Double.NEGATIVE_INFINITY;
			for (var e : top.properties()) {
				best = Math.max(best, e.getValue().asDouble());
			}
			assertTrue(own <= best + 1e-6 && own < 0, k + ": " + own + " vs " + top);
			// a generation from the tokens before k sees the same distribution
			List<Integer> prefix = new java.util.ArrayList<>();
			for (int i = 0; i < k; i++) {
				prefix.add(ids.get(i).asInt());
			}
			JsonNode next = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":" + prefix + ",\"max_tokens\":1,"
					+ "\"temperature\":0,\"logprobs\":20}").at("/choices/0/logprobs/top_logprobs/0");
			for (var e : top.properties()) {
				assertTrue(next.has(e.getKey()), k + ": " + e.getKey() + " not among " + next);
				assertEquals(next.get(e.getKey()).asDouble(), e.getValue().asDouble(), 2e-2, k + ": " + e.getKey());
			}
		}

		// max_tokens 1 (lm-evaluation-harness): the prompt's entries, then the generated token's; streamed the same
		JsonNode one = http.postOk("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":\"" + text + "\",\"max_tokens\":1,"
				+ "\"temperature\":0,\"echo\":true,\"logprobs\":1}");
		assertEquals(ids.size() + 1, one.at("/choices/0/logprobs/tokens").size(), one.toString());
		assertEquals(lp.get("token_logprobs").get(ids.size() - 1).asDouble(),
				one.at("/choices/0/logprobs/token_logprobs/" + (ids.size() - 1)).asDouble(), 1e-4);
		List<Http.Event> events = http.stream("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":\"" + text + "\","
				+ "\"max_tokens\":1,\"temperature\":0,\"echo\":true,\"logprobs\":1,\"stream\":true}");
		JsonNode echoed = events.get(0).data().at("/choices/0");
		assertEquals(text, echoed.get("text").asText(), "the echo comes first, with the prompt's entries");
		assertEquals(ids.size(), echoed.at("/logprobs/tokens").size(), echoed.toString());
		assertTrue(echoed.at("/logprobs/token_logprobs/0").isNull());
		assertEquals(text.length(), events.get(1).data().at("/choices/0/logprobs/text_offset/0").asInt(),
				"the generated token's offset counts the echo");
		assertEquals(400, http.post("/v1/completions", "{\"model\":\"qwen3\",\"prompt\":\"x\",\"max_tokens\":0}").statusCode(),
				"max_tokens 0 only with echo");

		// the official SDK reads it: token ids in, the prompt's entries (the first null) out
		com.openai.client.OpenAIClient client = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
				.baseUrl(runtime.base() + "/v1").apiKey("none").build();
		List<Long> promptIds = new java.util.ArrayList<>();
		ids.forEach(t -> promptIds.add(t.asLong()));
		var completion = client.completions().create(com.openai.models.completions.CompletionCreateParams.builder()
				.model("qwen3").promptOfArrayOfTokens(promptIds).maxTokens(1).echo(true).logprobs(1).temperature(0.0).build());
		var sdkLogprobs = completion.choices().get(0).logprobs().orElseThrow();
		assertEquals(ids.size() + 1, sdkLogprobs.tokens().orElseThrow().size());
		assertEquals(lp.get("token_logprobs").get(1).asDouble(), sdkLogprobs.tokenLogprobs().orElseThrow().get(1), 1e-4);
		assertTrue(completion.choices().get(0).text().startsWith(text));
	}

	/** llama-server's n_probs on /completion (what mikupad and llama-server's own UI send): completion_probabilities. */
	@Test
	void nProbsGivesLlamaServersCompletionProbabilities() throws Exception {
		String ask = "{\"model\":\"qwen3\",\"prompt\":\"The capital of France is\",\"n_predict\":5,\"temperature\":0,"
				+ "\"n_probs\":3";
		JsonNode whole = http.postOk("/completion", ask + "}");
		JsonNode probs = whole.get("completion_probabilities");
		assertEquals(whole.get("tokens_predicted").asInt(), probs.size(), whole.toString());
		for (JsonNode p : probs) {
			assertEquals(3, p.get("top_logprobs").size());
			assertEquals(p.get("id").asInt(), p.at("/top_logprobs/0/id").asInt(), "greedy: the most likely token");
			assertEquals(p.get("logprob").asDouble(), p.at("/top_logprobs/0/logprob").asDouble(), 1e-6);
			assertTrue(p.get("bytes").size() > 0 && p.get("logprob").asDouble() <= 0, p.toString());
		}
		int streamed = 0;
		StringBuilder content = new StringBuilder();
		for (Http.Event e : http.stream("/completion", ask + ",\"stream\":true}")) {
			streamed += e.data().path("completion_probabilities").size();
			content.append(e.data().get("content").asText());
		}
		assertEquals(probs.size(), streamed, "each token's entry, with its text");
		assertEquals(whole.get("content").asText(), content.toString());
		JsonNode sampled = http.postOk("/completion", ask + ",\"post_sampling_probs\":true}").at("/completion_probabilities/0");
		assertEquals(Math.exp(probs.get(0).get("logprob").asDouble()), sampled.get("prob").asDouble(), 1e-6);
		assertEquals(3, sampled.get("top_probs").size());
		assertFalse(http.postOk("/completion", "{\"model\":\"qwen3\",\"prompt\":\"x\",\"n_predict\":2}")
				.has("completion_probabilities"), "none unless asked");
	}

	@Test
	void logprobsComeWithEveryGeneratedToken() throws Exception {
		JsonNode chat = http.postOk("/v1/chat/completions", "{\"model\":\"llama31\",\"max_tokens\":6,\"temperature\":0,"
				+ "\"logprobs\":true,\"top_logprobs\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		JsonNode content = chat.at("/choices/0/logprobs/content");
		assertEquals(chat.at("/usage/completion_tokens").asInt(), content.size(), chat.toString());
		StringBuilder text = new StringBuilder();
		for (JsonNode t : content) {
			assertEquals(3, t.get("top_logprobs").size());
			assertEquals(t.at("/top_logprobs/0/token").asText(), t.get("token").asText(), "temperature 0: the likeliest");
			assertTrue(t.get("logprob").asDouble() <= 0);
			assertTrue(t.get("bytes").isArray());
			text.append(t.get("token").asText());
		}
		assertEquals(chat.at("/choices/0/message/content").asText(), text.toString());

		int streamed = 0;
		List<Http.Event> events = http.stream("/v1/chat/completions", "{\"model\":\"llama31\",\"max_tokens\":6,"
				+ "\"temperature\":0,\"stream\":true,\"logprobs\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		for (Http.Event e : events.subList(0, events.size() - 1)) {
			streamed += e.data().at("/choices/0/logprobs/content").size();
		}
		assertEquals(content.size(), streamed, "the same tokens, streamed");

		JsonNode legacy = http.postOk("/v1/completions", "{\"model\":\"llama31\",\"prompt\":\"Once\",\"max_tokens\":4,"
				+ "\"temperature\":0,\"logprobs\":2,\"echo\":true}");
		JsonNode lp = legacy.at("/choices/0/logprobs");
		int prompt = legacy.at("/usage/prompt_tokens").asInt(); // echo: the prompt's tokens first (see echoWithLogprobs...)
		assertEquals(prompt + legacy.at("/usage/completion_tokens").asInt(), lp.get("tokens").size());
		assertEquals(4, lp.at("/text_offset/" + prompt).asInt(), "after the echoed prompt");
		assertEquals(2, lp.at("/top_logprobs/" + prompt).size());
		StringBuilder tokens = new StringBuilder();
		lp.get("tokens").forEach(t -> tokens.append(t.asText()));
		assertEquals(legacy.at("/choices/0/text").asText(), tokens.toString());

		assertEquals(400, http.post("/v1/chat/completions", "{\"model\":\"llama31\",\"logprobs\":true,\"top_logprobs\":21,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
		assertEquals(400, http.post("/v1/chat/completions", "{\"model\":\"llama31\",\"top_logprobs\":2,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
		assertTrue(http.postOk("/v1/chat/completions", "{\"model\":\"llama31\",\"max_tokens\":2,\"messages\":"
				+ "[{\"role\":\"user\",\"content\":\"hi\"}]}").at("/choices/0/logprobs").isNull(), "none unless asked");
	}

	@Test
	void infillFramesPrefixAndSuffixInTheModelsFimTokens() throws Exception {
		String prefix = "def add(a, b):\n    ";
		String suffix = "\n\nprint(add(2, 3))\n";
		JsonNode r = http.postOk("/infill", Http.JSON.writeValueAsString(Map.of("model", "qwen3", "input_prefix", prefix,
				"input_suffix", suffix, "n_predict", 4, "temperature", 0)));
		// <|fim_prefix|> prefix <|fim_suffix|> suffix <|fim_middle|>, the texts as plain text
		assertEquals(3 + tokens("qwen3", prefix, false) + tokens("qwen3", suffix, false),
				r.get("tokens_evaluated").asInt(), r.toString());
		assertTrue(r.get("stop").asBoolean());
		assertTrue(r.get("tokens_predicted").asInt() <= 4);

		JsonNode extra = http.postOk("/infill", Http.JSON.writeValueAsString(Map.of("model", "qwen3", "input_prefix",
				prefix, "input_suffix", suffix, "n_predict", 1, "input_extra",
				List.of(Map.of("filename", "util.py", "text", "X = 1\n")))));
		assertEquals(r.get("tokens_evaluated").asInt() + 1 + tokens("qwen3", "util.py\nX = 1\n", false),
				extra.get("tokens_evaluated").asInt()); // <|file_sep|> and the file before the prefix
		JsonNode started = http.postOk("/infill", Http.JSON.writeValueAsString(Map.of("model", "qwen3", "input_prefix",
				prefix, "input_suffix", suffix, "prompt", "return a", "n_predict", 1)));
		assertEquals(r.get("tokens_evaluated").asInt() + tokens("qwen3", "return a", false),
				started.get("tokens_evaluated").asInt()); // what the line already holds, after <|fim_middle|>

		// OpenAI's suffix is the same gap to fill
		JsonNode openAi = http.postOk("/v1/completions", Http.JSON.writeValueAsString(Map.of("model", "qwen3", "prompt",
				prefix, "suffix", suffix, "max_tokens", 4, "temperature", 0)));
		assertEquals(r.get("tokens_evaluated").asInt(), openAi.at("/usage/prompt_tokens").asInt());

		HttpResponse<String> noFim = http.post("/infill", "{\"model\":\"llama31\",\"input_prefix\":\"a\",\"input_suffix\":\"b\"}");
		assertEquals(400, noFim.statusCode(), noFim.body());
		assertTrue(noFim.body().contains("fill-in-the-middle"), noFim.body());
	}

	@Test
	void rerankScoresEachDocumentInItsRerankPrompt() throws Exception {
		List<String> docs = List.of("It rains in Paris today.", "A recipe for pasta.", "Sunny in Tokyo.");
		JsonNode r = http.postOk("/v1/rerank", Http.JSON.writeValueAsString(Map.of("model", "reranker", "query",
				"weather?", "documents", docs)));
		JsonNode results = r.get("results");
		assertEquals(3, results.size());
		double previous = Double.MAX_VALUE;
		for (JsonNode result : results) {
			double score = result.get("relevance_score").asDouble();
			assertTrue(score >= 0 && score <= 1, "P(yes): " + score);
			assertTrue(score <= previous, "highest first: " + results);
			previous = score;
			int index = result.get("index").asInt();
			assertEquals(docs.get(index), result.at("/document/text").asText());
			// each score is that document's alone: the same when it is ranked by itself
			JsonNode alone = http.postOk("/rerank", Http.JSON.writeValueAsString(Map.of("model", "reranker", "query",
					"weather?", "documents", List.of(Map.of("text", docs.get(index))), "return_documents", false)));
			assertEquals(score, alone.at("/results/0/relevance_score").asDouble(), 1e-6);
			assertFalse(alone.at("/results/0").has("document"));
		}
		assertTrue(r.at("/usage/prompt_tokens").asInt() > 3 * 40, "the rerank prompt is the model's own: " + r);
		JsonNode top = http.postOk("/v1/rerank", Http.JSON.writeValueAsString(Map.of("model", "reranker", "query",
				"weather?", "documents", docs, "top_n", 1)));
		assertEquals(results.get(0), top.at("/results/0"));
		assertEquals(1, top.get("results").size());

		HttpResponse<String> chatModel = http.post("/v1/rerank", "{\"model\":\"qwen3\",\"query\":\"q\",\"documents\":[\"d\"]}");
		assertEquals(400, chatModel.statusCode(), chatModel.body());
		assertTrue(chatModel.body().contains("not a reranking model"), chatModel.body());
	}

	@Test
	void anthropicCountsTheTokensTheModelIsCharged() throws Exception {
		for (String model : List.of("qwen3", "llama31")) {
			String body = "{\"model\":\"" + model + "\",\"max_tokens\":1,\"system\":\"Be brief.\",\"messages\":[{\"role\":"
					+ "\"user\",\"content\":\"What is two plus three?\"}],\"tools\":[{\"name\":\"add\",\"description\":"
					+ "\"adds\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}}]}";
			int counted = http.postOk("/v1/messages/count_tokens", body).get("input_tokens").asInt();
			JsonNode usage = http.postOk("/v1/messages", body).get("usage"); // Anthropic's input_tokens leaves out the cached part
			int charged = usage.get("input_tokens").asInt() + usage.get("cache_read_input_tokens").asInt();
			assertEquals(charged, counted, model);
		}
	}

	@Test
	void ollamaShowsTheGgufAndThinkSwitchesTheTemplate() throws Exception {
		JsonNode show = http.postOk("/api/show", "{\"model\":\"qwen3\"}");
		assertTrue(show.get("template").asText().contains("enable_thinking"), "the GGUF's own template");
		assertEquals("qwen3", show.at("/model_info/general.architecture").asText());
		assertTrue(show.at("/model_info/tokenizer.ggml.tokens").isNull(), "a vocabulary is not listed");
		assertEquals("num_ctx 2048", show.get("parameters").asText(), "the context a request gets here");
		List<String> caps = Http.JSON.convertValue(show.get("capabilities"), List.class);
		assertTrue(caps.containsAll(List.of("completion", "tools", "thinking", "insert")), caps.toString());
		List<String> llamaCaps = Http.JSON.convertValue(http.postOk("/api/show", "{\"model\":\"llama31\"}")
				.get("capabilities"), List.class);
		assertFalse(llamaCaps.contains("insert"), llamaCaps.toString());
		assertFalse(llamaCaps.contains("thinking"), llamaCaps.toString());

		// think false is Qwen 3's enable_thinking false: its template writes the empty think block
		String off = http.postOk("/apply-template", "{\"model\":\"qwen3\",\"reasoning_effort\":\"none\",\"messages\":"
				+ "[{\"role\":\"user\",\"content\":\"hi\"}]}").get("prompt").asText();
		assertTrue(off.endsWith("<think>\n\n</think>\n\n"), off);
		String on = http.postOk("/apply-template", "{\"model\":\"qwen3\",\"reasoning_effort\":\"high\",\"messages\":"
				+ "[{\"role\":\"user\",\"content\":\"hi\"}]}").get("prompt").asText();
		assertFalse(on.contains("</think>"), on);
		JsonNode chat = http.postOk("/api/chat", "{\"model\":\"qwen3\",\"stream\":false,\"think\":false,"
				+ "\"options\":{\"num_predict\":3},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		assertEquals(tokens("qwen3", off, true), chat.get("prompt_eval_count").asInt());
		assertTrue(chat.get("done").asBoolean());
	}
}
