package ai.local.runtime.llamacpp.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.testing.gguf.GgufTokenizer;
import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * GGUFs of three model families as their real files are made: Qwen 2.5 (qwen2), Qwen 3 (qwen3) and Llama 3.1
 * (llama), each with its family's real tokenizer (llama.cpp's vocabulary files) and real chat template (llama.cpp's
 * models/templates), random weights. The runtime prompts each exactly as Python's Jinja2 renders the template
 * (transformers' way), and their tool calls, in each family's own syntax, come back as OpenAI tool calls.
 */
class ModelFamiliesTest {
	private static final Path SRC = Path.of(System.getProperty("llama.src", "target/llama-src"));
	private static RuntimeProcess runtime;
	private static Http http;

	private static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
			+ "\"Weather for a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
			+ "\"enum\":[\"Paris\",\"Tokyo\"]},\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},"
			+ "\"required\":[\"city\",\"days\"]}}}";
	/** A tool conversation as a client sends it: arguments as a JSON string, content null beside calls. */
	private static final String CONVERSATION = "[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
			+ "{\"role\":\"user\",\"content\":\"What's the weather in Paris for two days?\"},"
			+ "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
			+ "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\",\\\"days\\\":2}\"}}]},"
			+ "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny, 24 °C\"},"
			+ "{\"role\":\"assistant\",\"content\":\"It will be sunny and 24 °C in Paris.\"},"
			+ "{\"role\":\"user\",\"content\":\"And in Tokyo?\"}]";

	record Family(String id, String architecture, String vocab, String eos, boolean addBos, String bos, String template) {
	}

	private static final List<Family> FAMILIES = List.of(
			new Family("qwen25", "qwen2", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"Qwen-Qwen2.5-7B-Instruct.jinja"),
			new Family("qwen3", "qwen3", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"Qwen-Qwen3-0.6B.jinja"),
			new Family("llama31", "llama", "ggml-vocab-llama-bpe.gguf", "<|eot_id|>", true, "<|begin_of_text|>",
					"meta-llama-Llama-3.1-8B-Instruct.jinja"));

	/**
	 * Further tool-call syntaxes, each a model with its family's real template (on Qwen's tokenizer: the format is
	 * text to a vocabulary that lacks the family's special tokens): a forced call comes back as an OpenAI call.
	 */
	private static final List<Family> SYNTAXES = List.of(
			new Family("deepseek-r1", "qwen2", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja"),
			new Family("deepseek-v31", "qwen2", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"deepseek-ai-DeepSeek-V3.1.jinja"),
			new Family("mistral-small", "llama", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"Mistral-Small-3.2-24B-Instruct-2506.jinja"),
			new Family("mistral-nemo", "llama", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"mistralai-Mistral-Nemo-Instruct-2407.jinja"),
			new Family("gpt-oss", "llama", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"openai-gpt-oss-120b.jinja"),
			new Family("command-r7b", "llama", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"CohereForAI-c4ai-command-r7b-12-2024-tool_use.jinja"),
			new Family("granite", "llama", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"ibm-granite-granite-3.3-2B-Instruct.jinja"),
			new Family("qwen3-coder", "qwen3", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>",
					"Qwen3-Coder.jinja"),
			new Family("glm", "llama", "ggml-vocab-qwen2.gguf", "<|im_end|>", false, "<|endoftext|>", "GLM-4.6.jinja"));

	/**
	 * The tokens Qwen 2.5 and Qwen 3 add to the Qwen 2 vocabulary (their tokenizer.json's added_tokens, at the same
	 * ids): llama.cpp's ggml-vocab-qwen2.gguf has padding entries there.
	 */
	private static final Map<Integer, String> QWEN_CONTROL = Map.ofEntries(Map.entry(151646, "<|object_ref_start|>"),
			Map.entry(151647, "<|object_ref_end|>"), Map.entry(151648, "<|box_start|>"), Map.entry(151649, "<|box_end|>"),
			Map.entry(151650, "<|quad_start|>"), Map.entry(151651, "<|quad_end|>"), Map.entry(151652, "<|vision_start|>"),
			Map.entry(151653, "<|vision_end|>"), Map.entry(151654, "<|vision_pad|>"), Map.entry(151655, "<|image_pad|>"),
			Map.entry(151656, "<|video_pad|>"));
	static final Map<Integer, String> QWEN_ADDED = Map.ofEntries(Map.entry(151657, "<tool_call>"),
			Map.entry(151658, "</tool_call>"), Map.entry(151659, "<|fim_prefix|>"), Map.entry(151660, "<|fim_middle|>"),
			Map.entry(151661, "<|fim_suffix|>"), Map.entry(151662, "<|fim_pad|>"), Map.entry(151663, "<|repo_name|>"),
			Map.entry(151664, "<|file_sep|>"), Map.entry(151665, "<tool_response>"), Map.entry(151666, "</tool_response>"),
			Map.entry(151667, "<think>"), Map.entry(151668, "</think>"));

	@BeforeAll
	static void start() throws Exception {
		Path models = Path.of(System.getProperty("models.dir") + "-families");
		RuntimeProcess.deleteTree(models);
		for (Family f : Stream.concat(FAMILIES.stream(), SYNTAXES.stream()).toList()) {
			GgufTokenizer tokenizer = GgufTokenizer.read(SRC.resolve("models").resolve(f.vocab()), f.eos(), f.addBos());
			if (f.vocab().contains("qwen2")) {
				tokenizer = tokenizer.withTokens(QWEN_CONTROL, 3).withTokens(QWEN_ADDED, 4);
			}
			String template = Files.readString(SRC.resolve("models/templates").resolve(f.template()));
			TinyLlama.withTokenizer(f.architecture(), f.id(), tokenizer, template, 11)
					.write(models.resolve(f.id() + ".gguf"));
		}
		runtime = Runtimes.start("families", Map.of("LLAMA_CPP_MODEL", models.toString(), "LLAMA_CPP_N_CTX", "4096",
				"LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_THREADS", "2", "LLAMA_CPP_MAX_LOADED_MODELS", "4"));
		http = new Http(runtime.base());
		http.awaitReady();
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	@Test
	void eachFamilyIsPromptedExactlyAsItsTemplateDefines() throws Exception {
		for (Family f : FAMILIES) {
			JsonNode applied = http.postOk("/apply-template", "{\"model\":\"" + f.id() + "\",\"tools\":[" + WEATHER
					+ "],\"messages\":" + CONVERSATION + "}");
			String prompt = applied.get("prompt").asText();
			assertEquals(reference(f), prompt, f.id() + ": the prompt differs from Python Jinja2's rendering");
			// and the tokens are the family's: what /tokenize counts is what a completion is charged
			JsonNode tokens = http.postOk("/tokenize", Http.JSON.writeValueAsString(Map.of("model", f.id(), "content",
					prompt, "add_special", true)));
			JsonNode chat = http.postOk("/v1/chat/completions", "{\"model\":\"" + f.id() + "\",\"max_tokens\":1,\"tools\":["
					+ WEATHER + "],\"messages\":" + CONVERSATION + "}");
			assertEquals(tokens.get("tokens").size(), chat.at("/usage/prompt_tokens").asInt(), f.id());
		}
	}

	@Test
	void toolCallsInEachFamilysSyntaxComeBackAsOpenAiToolCalls() throws Exception {
		for (Family f : FAMILIES) {
			for (int seed = 0; seed < 2; seed++) {
				JsonNode r = http.postOk("/v1/chat/completions", "{\"model\":\"" + f.id() + "\",\"max_tokens\":200,\"seed\":"
						+ seed + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"tools\":[" + WEATHER
						+ "],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Tokyo?\"}]}");
				assertEquals("tool_calls", r.at("/choices/0/finish_reason").asText(), f.id() + " " + r);
				JsonNode call = r.at("/choices/0/message/tool_calls/0");
				assertEquals("get_weather", call.at("/function/name").asText(), r.toString());
				assertTrue(call.get("id").asText().startsWith("call_"));
				JsonNode args = Http.JSON.readTree(call.at("/function/arguments").asText());
				assertTrue(List.of("Paris", "Tokyo").contains(args.get("city").asText()), args.toString());
				int days = args.get("days").asInt();
				assertTrue(days >= 1 && days <= 7, args.toString());
				assertTrue(r.at("/choices/0/message/content").isNull() || r.at("/choices/0/message/content").asText().isBlank(),
						"the call's syntax is not shown as text: " + r);
			}
		}
	}

	@Test
	void everySyntaxForcesACallInItsOwnFormatAndParsesIt() throws Exception {
		for (Family f : SYNTAXES) {
			for (boolean stream : new boolean[] { false, true }) {
				String body = "{\"model\":\"" + f.id() + "\",\"max_tokens\":200,\"seed\":3,\"stream\":" + stream
						+ ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"tools\":[" + WEATHER
						+ "],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Tokyo?\"}]}";
				String name;
				String arguments;
				if (stream) {
					StringBuilder args = new StringBuilder();
					String[] first = { null };
					String[] finish = { null };
					for (Http.Event e : http.stream("/v1/chat/completions", body)) {
						if (e == null) {
							continue;
						}
						JsonNode d = e.data().at("/choices/0/delta/tool_calls/0");
						if (!d.isMissingNode()) {
							if (d.has("id")) {
								first[0] = d.at("/function/name").asText();
							}
							args.append(d.at("/function/arguments").asText(""));
						}
						JsonNode fr = e.data().at("/choices/0/finish_reason");
						if (fr.isTextual()) {
							finish[0] = fr.asText();
						}
					}
					assertEquals("tool_calls", finish[0], f.id());
					name = first[0];
					arguments = args.toString();
				} else {
					JsonNode r = http.postOk("/v1/chat/completions", body);
					assertEquals("tool_calls", r.at("/choices/0/finish_reason").asText(), f.id() + " " + r);
					name = r.at("/choices/0/message/tool_calls/0/function/name").asText();
					arguments = r.at("/choices/0/message/tool_calls/0/function/arguments").asText();
				}
				assertEquals("get_weather", name, f.id());
				JsonNode args = Http.JSON.readTree(arguments);
				assertTrue(List.of("Paris", "Tokyo").contains(args.path("city").asText()), f.id() + " " + arguments);
				assertTrue(args.path("days").asInt() >= 1 && args.path("days").asInt() <= 7, f.id() + " " + arguments);
			}
		}
	}

	@Test
	void withToolChoiceAutoACallOnceOpenedFollowsTheSchema() throws Exception {
		// the bias makes the random model open a call with Qwen's <tool_call> token; the lazy grammar, switched on
		// by that token, makes the rest a valid call (without it, what follows the tag is noise)
		int open = http.postOk("/tokenize", "{\"model\":\"qwen25\",\"content\":\"<tool_call>\",\"add_special\":true}")
				.at("/tokens/0").asInt();
		for (int seed = 0; seed < 3; seed++) {
			JsonNode r = http.postOk("/v1/chat/completions", "{\"model\":\"qwen25\",\"max_tokens\":200,\"seed\":" + seed
					+ ",\"parallel_tool_calls\":false,\"logit_bias\":{\"" + open + "\":30},\"tools\":[" + WEATHER
					+ "],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Tokyo?\"}]}");
			assertEquals("tool_calls", r.at("/choices/0/finish_reason").asText(), r.toString());
			JsonNode args = Http.JSON.readTree(r.at("/choices/0/message/tool_calls/0/function/arguments").asText());
			assertTrue(List.of("Paris", "Tokyo").contains(args.get("city").asText()), args.toString());
		}
	}

	@Test
	void qwen3TakesEnableThinkingFromChatTemplateKwargs() throws Exception {
		String messages = "[{\"role\":\"user\",\"content\":\"Hi\"}]";
		String thinking = http.postOk("/apply-template", "{\"model\":\"qwen3\",\"messages\":" + messages + "}")
				.get("prompt").asText();
		String off = http.postOk("/apply-template", "{\"model\":\"qwen3\",\"messages\":" + messages
				+ ",\"chat_template_kwargs\":{\"enable_thinking\":false}}").get("prompt").asText();
		assertTrue(thinking.endsWith("<|im_start|>assistant\n"), thinking);
		assertTrue(off.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), off);
	}

	@Test
	void reasoningSentBackReachesTheTemplateWhichDecidesWhereToShowIt() throws Exception {
		// Qwen 3 shows the reasoning of the turns after the last user message (a tool loop), not of earlier ones
		String messages = "[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello!\","
				+ "\"reasoning_content\":\"A greeting.\"},{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
				+ "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"I should call get_weather.\",\"tool_calls\":"
				+ "[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
				+ "\"{\\\"city\\\":\\\"Paris\\\",\\\"days\\\":1}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]";
		String prompt = http.postOk("/apply-template", "{\"model\":\"qwen3\",\"tools\":[" + WEATHER + "],\"messages\":"
				+ messages + "}").get("prompt").asText();
		assertTrue(prompt.contains("<think>\nI should call get_weather.\n</think>"), prompt);
		assertFalse(prompt.contains("A greeting."), prompt);
	}

	@Test
	void aConversationTheTemplateRefusesIsA400WithItsMessage() throws Exception {
		// Llama 3.1's template allows one tool call per assistant turn
		String two = "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
				+ "{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}},"
				+ "{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
				+ "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"1\"},{\"role\":\"tool\",\"tool_call_id\":\"b\",\"content\":\"2\"}]";
		HttpResponse<String> r = http.post("/v1/chat/completions", "{\"model\":\"llama31\",\"max_tokens\":4,\"tools\":["
				+ WEATHER + "],\"messages\":" + two + "}");
		assertEquals(400, r.statusCode(), r.body());
		assertTrue(r.body().contains("This model only supports single tool-calls at once!"), r.body());
		assertEquals(200, http.get("/health").statusCode(), "the runtime is fine");
	}

	@Test
	void tokenizeAndDetokenizeRoundTrip() throws Exception {
		JsonNode t = http.postOk("/tokenize", "{\"model\":\"qwen25\",\"content\":\"Hello <|im_start|> wörld\",\"with_pieces\":true}");
		List<Integer> ids = new ArrayList<>();
		StringBuilder pieces = new StringBuilder();
		t.get("tokens").forEach(n -> {
			ids.add(n.get("id").asInt());
			pieces.append(n.get("piece").asText());
		});
		JsonNode d = http.postOk("/detokenize", Http.JSON.writeValueAsString(Map.of("model", "qwen25", "tokens", ids)));
		assertEquals("Hello <|im_start|> wörld", d.get("content").asText());
		assertFalse(ids.isEmpty());
		// a character the vocabulary splits into byte tokens: those pieces come as byte values, as llama-server gives them
		String rare = "wörld \uD800\uDF48"; // U+10348 GOTHIC LETTER HWAIR, 4 bytes
		JsonNode split = http.postOk("/tokenize", Http.JSON.writeValueAsString(Map.of("model", "qwen25", "content", rare,
				"with_pieces", true))).get("tokens");
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		int partial = 0;
		for (JsonNode n : split) {
			JsonNode piece = n.get("piece");
			if (piece.isArray()) {
				partial++;
				piece.forEach(b -> bytes.write(b.asInt()));
			} else {
				bytes.writeBytes(piece.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
			}
		}
		assertTrue(partial > 0, "the 4-byte character is split: " + split);
		assertEquals(rare, bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
		HttpResponse<String> bad = http.post("/detokenize", "{\"model\":\"qwen25\",\"tokens\":[99999999]}");
		assertEquals(400, bad.statusCode(), bad.body());
		HttpResponse<String> noModel = http.post("/tokenize", "{\"content\":\"x\"}");
		assertEquals(400, noModel.statusCode(), noModel.body());
	}

	/**
	 * The family's template rendered by Python's Jinja2 in transformers' environment, with the same conversation;
	 * where the template cannot take an assistant content of null (Qwen 3), with "" there, as the runtime does.
	 */
	private static String reference(Family f) throws Exception {
		JsonNode withNull = reference(f, false);
		if (withNull.has("output")) {
			return withNull.get("output").asText();
		}
		JsonNode withEmpty = reference(f, true);
		assertTrue(withEmpty.has("output"), f.id() + ": Jinja2 raised " + withNull + " and " + withEmpty);
		return withEmpty.get("output").asText();
	}

	private static JsonNode reference(Family f, boolean emptyContent) throws Exception {
		List<Object> messages = new ArrayList<>();
		for (JsonNode m : Http.JSON.readTree(CONVERSATION)) {
			ObjectNode o = (ObjectNode) m.deepCopy();
			for (JsonNode c : o.path("tool_calls")) {
				ObjectNode fn = (ObjectNode) c.get("function");
				fn.set("arguments", Http.JSON.readTree(fn.get("arguments").asText()));
			}
			if (emptyContent && o.path("content").isNull()) {
				o.put("content", "");
			}
			if (o.path("role").asText().equals("tool")) {
				o.put("name", "get_weather");
			}
			messages.add(Http.JSON.convertValue(o, Object.class));
		}
		Map<String, Object> vars = new LinkedHashMap<>();
		vars.put("messages", messages);
		vars.put("tools", List.of(Http.JSON.readValue(WEATHER, Object.class)));
		vars.put("add_generation_prompt", true);
		vars.put("bos_token", f.bos());
		vars.put("eos_token", f.eos());
		Map<String, Object> job = Map.of("templates", Map.of("t", Files.readString(SRC.resolve("models/templates")
				.resolve(f.template()))), "cases", List.of(Map.of("name", "c", "variables", vars)), "now",
				"2026-07-04T10:00:00+00:00");
		Path script = Path.of(System.getProperty("repo.root"), "chat.template/src/test/resources/conformance/reference_render.py");
		Process p = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		p.getOutputStream().write(Http.JSON.writeValueAsBytes(job));
		p.getOutputStream().close();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "python3 with Jinja2 renders the reference");
		return Http.JSON.readTree(out).at("/t/c");
	}
}
