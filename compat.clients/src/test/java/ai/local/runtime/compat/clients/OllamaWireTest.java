package ai.local.runtime.compat.clients;

import static ai.local.runtime.compat.clients.Runtimes.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.local.runtime.testing.process.RuntimeProcess;

/** The bytes of Ollama's API as WIRE.md gives them: NDJSON lines, the done line, object arguments, errors. */
class OllamaWireTest {
	private static final ObjectMapper JSON = new ObjectMapper();
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

	private static List<JsonNode> lines(HttpResponse<String> r) throws Exception {
		assertEquals(200, r.statusCode(), r.body());
		assertEquals("application/x-ndjson", r.headers().firstValue("content-type").orElse("").split(";")[0]);
		assertTrue(r.body().endsWith("}\n"), r.body());
		List<JsonNode> out = new ArrayList<>();
		for (String line : r.body().split("\n")) {
			out.add(JSON.readTree(line)); // every line is one JSON object: no blank lines, no comments
		}
		return out;
	}

	@Test
	void chatStreamsLinesAndEndsWithTheCounts() throws Exception {
		List<JsonNode> lines = lines(send(runtime, "POST", "/api/chat",
				"{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}"));
		StringBuilder text = new StringBuilder();
		for (JsonNode l : lines.subList(0, lines.size() - 1)) {
			assertEquals("echo", l.get("model").asText());
			assertTrue(l.get("created_at").asText().endsWith("Z"), l.toString());
			assertEquals("assistant", l.at("/message/role").asText());
			assertFalse(l.get("done").asBoolean());
			text.append(l.at("/message/content").asText());
		}
		assertEquals("You said: hi there", text.toString());
		JsonNode done = lines.get(lines.size() - 1);
		assertTrue(done.get("done").asBoolean());
		assertEquals("stop", done.get("done_reason").asText());
		assertEquals("", done.at("/message/content").asText());
		assertEquals(4, done.get("eval_count").asInt());
		assertTrue(done.get("prompt_eval_count").asInt() > 0);
		assertTrue(done.get("total_duration").asLong() >= done.get("prompt_eval_duration").asLong());
	}

	@Test
	void toolCallsComeWholeWithObjectArguments() throws Exception {
		String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"add\",\"parameters\":{\"type\":\"object\"}}}]";
		JsonNode whole = JSON.readTree(send(runtime, "POST", "/api/chat", "{\"model\":\"tools\",\"stream\":false,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"add\"}]," + tools + "}").body());
		JsonNode call = whole.at("/message/tool_calls/0/function");
		assertEquals("add", call.get("name").asText());
		assertTrue(call.get("arguments").isObject(), whole.toString());
		assertEquals(2, call.at("/arguments/a").asInt());
		assertTrue(whole.get("done").asBoolean());

		List<JsonNode> lines = lines(send(runtime, "POST", "/api/chat", "{\"model\":\"tools\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"add\"}]," + tools + "}"));
		assertEquals(2, lines.size(), lines.toString()); // the calls in one line, then done
		assertEquals(3, lines.get(0).at("/message/tool_calls/0/function/arguments/b").asInt());

		// the result goes back by tool_name, without ids
		JsonNode answer = JSON.readTree(send(runtime, "POST", "/api/chat", "{\"model\":\"tools\",\"stream\":false,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"add\"},{\"role\":\"assistant\",\"content\":\"\","
				+ "\"tool_calls\":[{\"function\":{\"name\":\"add\",\"arguments\":{\"a\":2,\"b\":3}}}]},"
				+ "{\"role\":\"tool\",\"content\":\"5\",\"tool_name\":\"add\"}]," + tools + "}").body());
		assertEquals("The result is 5", answer.at("/message/content").asText());
	}

	@Test
	void generateAnswersInResponseAndRawContinuesThePrompt() throws Exception {
		List<JsonNode> lines = lines(send(runtime, "POST", "/api/generate",
				"{\"model\":\"thinker\",\"prompt\":\"sky\",\"system\":\"be brief\"}"));
		StringBuilder thinking = new StringBuilder();
		StringBuilder response = new StringBuilder();
		for (JsonNode l : lines) {
			thinking.append(l.path("thinking").asText(""));
			response.append(l.get("response").asText());
		}
		assertEquals("Thinking about: sky", thinking.toString());
		assertEquals("You said: sky", response.toString());

		JsonNode raw = JSON.readTree(send(runtime, "POST", "/api/generate",
				"{\"model\":\"echo\",\"prompt\":\"def f(\",\"suffix\":\"return x\",\"stream\":false}").body());
		assertEquals("You wrote: def f( before return x", raw.get("response").asText());
		assertTrue(raw.get("done").asBoolean());
	}

	@Test
	void anEmptyRequestLoadsAndKeepAliveZeroUnloads() throws Exception {
		JsonNode load = JSON.readTree(send(runtime, "POST", "/api/generate", "{\"model\":\"echo\"}").body());
		assertEquals("load", load.get("done_reason").asText());
		JsonNode unload = JSON.readTree(send(runtime, "POST", "/api/chat",
				"{\"model\":\"echo\",\"messages\":[],\"keep_alive\":0}").body());
		assertEquals("unload", unload.get("done_reason").asText());
	}

	@Test
	void formatOptionsAndNames() throws Exception {
		JsonNode cut = JSON.readTree(send(runtime, "POST", "/api/chat", "{\"model\":\"echo:latest\",\"stream\":false,"
				+ "\"options\":{\"num_predict\":1,\"temperature\":0.2},\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}")
				.body());
		assertEquals("length", cut.get("done_reason").asText());
		assertEquals("echo:latest", cut.get("model").asText());
		assertEquals("0.12.0", JSON.readTree(Runtimes.get(runtime, "/api/version")).get("version").asText());
		assertEquals("Local AI Runtime is running", Runtimes.get(runtime, "/"));
		JsonNode tags = JSON.readTree(Runtimes.get(runtime, "/api/tags"));
		JsonNode first = tags.at("/models/0");
		assertTrue(first.get("digest").asText().matches("[0-9a-f]{64}"), first.toString());
		assertTrue(first.has("details") && first.at("/details").has("quantization_level"), first.toString());
	}

	@Test
	void malformedBodiesOfEveryNewEndpointAreClear400s() throws Exception {
		String[][] bad = {
				{ "POST", "/api/chat", "{\"model\":\"echo\",\"messages\":{}}" },
				{ "POST", "/api/chat", "{\"model\":\"echo\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}" },
				{ "POST", "/api/chat", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"images\":[7]}]}" },
				{ "POST", "/api/chat", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"images\":[\"%%%\"]}]}" },
				{ "POST", "/api/chat", "{\"model\":\"echo\",\"options\":{\"num_predict\":0},\"messages\":[]}" },
				{ "POST", "/api/chat", "{\"model\":\"echo\",\"options\":[],\"messages\":[]}" },
				{ "POST", "/api/chat", "{\"model\":\"tools\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{}]}]}" },
				{ "POST", "/api/generate", "{\"model\":\"echo\",\"prompt\":5}" },
				{ "POST", "/api/generate", "{\"model\":\"echo\",\"raw\":true,\"prompt\":\"x\",\"images\":[\"iVBORw0KGgo=\"]}" },
				{ "POST", "/api/embed", "{\"model\":\"embed\",\"input\":5}" },
				{ "POST", "/api/embed", "{\"model\":\"embed\",\"input\":[]}" },
				{ "POST", "/api/embeddings", "{\"model\":\"embed\"}" },
				{ "POST", "/api/show", "" },
				{ "POST", "/api/show", "[1]" },
				{ "DELETE", "/api/delete", "" },
				{ "POST", "/v1/completions", "{\"model\":\"echo\"}" },
				{ "POST", "/v1/completions", "{\"model\":\"echo\",\"prompt\":[[1],[2]]}" },
				{ "POST", "/v1/completions", "{\"model\":\"echo\",\"prompt\":[1,2]}" }, // a provider without a vocabulary
				{ "POST", "/infill", "{\"model\":\"echo\",\"input_extra\":[5]}" },
				{ "POST", "/infill", "{\"model\":\"echo\",\"input_extra\":{}}" },
				{ "POST", "/v1/rerank", "{\"model\":\"echo\",\"query\":\"q\",\"documents\":[{}]}" },
				{ "POST", "/v1/rerank", "{\"model\":\"echo\",\"documents\":[\"d\"]}" },
				{ "POST", "/v1/rerank", "{\"model\":\"echo\",\"query\":\"q\",\"documents\":[\"d\"],\"top_n\":0}" },
				{ "POST", "/v1/messages/count_tokens", "{\"model\":\"echo\",\"messages\":[]}" },
				{ "POST", "/v1/messages", "{\"model\":\"echo\",\"max_tokens\":5,\"thinking\":{\"type\":\"on\"},"
						+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}" },
				{ "POST", "/v1/responses", "{\"model\":\"echo\",\"input\":\"x\",\"tools\":[{\"type\":\"mcp\"}]}" },
				{ "POST", "/v1/responses", "{\"model\":\"echo\",\"input\":\"x\",\"reasoning\":{\"effort\":5}}" } };
		for (String[] b : bad) {
			HttpResponse<String> r = send(runtime, b[0], b[1], b[2]);
			assertEquals(400, r.statusCode(), b[1] + " " + b[2] + " → " + r.body());
			JsonNode body = JSON.readTree(r.body());
			assertTrue(body.has("error") || "error".equals(body.path("type").asText()), r.body());
			assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r.body());
		}
		// not providers' features: a clear 400 naming the provider, not a 500
		HttpResponse<String> rerank = send(runtime, "POST", "/v1/rerank", "{\"model\":\"echo\",\"query\":\"q\",\"documents\":[\"d\"]}");
		assertEquals(400, rerank.statusCode(), rerank.body());
		assertTrue(rerank.body().contains("reranking is not supported"), rerank.body());
		assertEquals(404, send(runtime, "GET", "/v1/responses/resp_nope", "").statusCode());
		assertEquals(405, send(runtime, "PUT", "/api/tags", "{}").statusCode());
	}

	@Test
	void errorsAreOllamaShaped() throws Exception {
		HttpResponse<String> missing = send(runtime, "POST", "/api/chat", "{\"messages\":[]}");
		assertEquals(400, missing.statusCode());
		assertEquals("model is required", JSON.readTree(missing.body()).get("error").asText());
		HttpResponse<String> unknown = send(runtime, "POST", "/api/show", "{\"model\":\"nope\"}");
		assertEquals(404, unknown.statusCode());
		assertEquals("model 'nope' not found", JSON.readTree(unknown.body()).get("error").asText());
		HttpResponse<String> badFormat = send(runtime, "POST", "/api/chat", "{\"model\":\"echo\",\"format\":\"xml\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
		assertEquals(400, badFormat.statusCode());
		assertTrue(JSON.readTree(badFormat.body()).get("error").isTextual());
		HttpResponse<String> notPulled = send(runtime, "DELETE", "/api/delete", "{\"model\":\"echo\"}");
		assertEquals(400, notPulled.statusCode(), notPulled.body());
		HttpResponse<String> noEndpoint = send(runtime, "POST", "/api/nothing", "{}");
		assertEquals(404, noEndpoint.statusCode());
		assertTrue(JSON.readTree(noEndpoint.body()).get("error").isTextual(), noEndpoint.body());
	}
}
