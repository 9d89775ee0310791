package ai.local.runtime.itest;

import static ai.local.runtime.itest.RuntimeClient.JSON;
import static ai.local.runtime.itest.RuntimeClient.get;
import static ai.local.runtime.itest.RuntimeClient.json;
import static ai.local.runtime.itest.RuntimeClient.post;
import static ai.local.runtime.itest.RuntimeClient.postStream;
import static ai.local.runtime.itest.RuntimeClient.scriptedProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** /v1/chat/completions through real Jetty: whole answers, chunk streams, tool-call deltas, errors. */
class ChatCompletionsIT {
	private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"add\","
			+ "\"parameters\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}}}}},"
			+ "{\"type\":\"function\",\"function\":{\"name\":\"mul\",\"parameters\":{\"type\":\"object\"}}}]";

	@BeforeAll
	static void provider() throws Exception {
		scriptedProvider();
	}

	@Test
	void wholeCompletion() throws Exception {
		HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"messages\":["
				+ "{\"role\":\"system\",\"content\":\"be brief\"},"
				+ "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"two \"},{\"type\":\"text\",\"text\":\"parts\"}]}]}");
		assertEquals(200, r.statusCode(), r.body());
		assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
		JsonNode body = json(r);
		assertEquals("chat.completion", body.get("object").asText());
		assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
		assertEquals("scripted:echo", body.get("model").asText());
		assertEquals("You said: two parts", body.at("/choices/0/message/content").asText());
		assertEquals("assistant", body.at("/choices/0/message/role").asText());
		assertEquals("stop", body.at("/choices/0/finish_reason").asText());
		assertEquals(body.at("/usage/prompt_tokens").asInt() + body.at("/usage/completion_tokens").asInt(),
				body.at("/usage/total_tokens").asInt());
	}

	@Test
	void maxTokensCutsWithLength() throws Exception {
		JsonNode body = json(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"max_tokens\":2,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"a b c d\"}]}"));
		assertEquals("length", body.at("/choices/0/finish_reason").asText());
		assertEquals("You said: ", body.at("/choices/0/message/content").asText());
	}

	@Test
	void streamedTextChunks() throws Exception {
		HttpResponse<InputStream> r = postStream("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"stream\":true,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");
		assertEquals(200, r.statusCode());
		assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
		List<SseEvents.Event> events;
		try (SseEvents sse = new SseEvents(r.body())) {
			events = sse.all();
		}
		assertEquals("[DONE]", events.get(events.size() - 1).data());
		List<JsonNode> chunks = chunks(events);
		JsonNode first = chunks.get(0);
		assertEquals("assistant", first.at("/choices/0/delta/role").asText());
		StringBuilder text = new StringBuilder();
		for (JsonNode c : chunks) {
			assertEquals(first.get("id"), c.get("id"), "one id for every chunk");
			assertEquals(first.get("created"), c.get("created"));
			assertEquals("chat.completion.chunk", c.get("object").asText());
			assertFalse(c.has("usage"), "no usage field without include_usage");
			text.append(c.at("/choices/0/delta/content").asText(""));
		}
		assertEquals("You said: one two three", text.toString());
		assertEquals(5, chunks.size() - 2, "one chunk per piece between the role and finish chunks");
		assertEquals("stop", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());
	}

	@Test
	void streamedToolCallsWithUsage() throws Exception {
		HttpResponse<InputStream> r = postStream("/v1/chat/completions", "{\"model\":\"scripted:tools\",\"stream\":true,"
				+ "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"go\"}],"
				+ TOOLS + "}");
		List<JsonNode> chunks;
		try (SseEvents sse = new SseEvents(r.body())) {
			chunks = chunks(sse.all());
		}
		StringBuilder[] args = { new StringBuilder(), new StringBuilder() };
		String[] names = new String[2];
		for (JsonNode c : chunks) {
			if (c.get("choices").isEmpty()) {
				continue;
			}
			assertTrue(c.has("usage") && c.get("usage").isNull(), "usage: null on every other chunk");
			for (JsonNode call : c.at("/choices/0/delta/tool_calls")) {
				int index = call.get("index").asInt();
				if (call.has("id")) {
					assertNull(names[index], "only the first delta of a call carries its id");
					assertEquals("function", call.get("type").asText());
					assertEquals("", call.at("/function/arguments").asText());
					assertFalse(call.get("id").asText().isEmpty());
					names[index] = call.at("/function/name").asText();
				} else {
					assertFalse(call.has("type"));
					assertFalse(call.get("function").has("name"), "continuations carry no name: " + call);
				}
				args[index].append(call.at("/function/arguments").asText());
			}
		}
		assertEquals("add", names[0]);
		assertEquals("mul", names[1]);
		assertEquals(JSON.readTree("{\"a\":2,\"b\":3}"), JSON.readTree(args[0].toString()));
		assertEquals(JSON.readTree("{\"a\":2,\"b\":3}"), JSON.readTree(args[1].toString()));
		JsonNode usage = chunks.get(chunks.size() - 1);
		assertEquals(0, usage.get("choices").size());
		assertTrue(usage.at("/usage/total_tokens").asInt() > 0);
		assertEquals("tool_calls", chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText());
	}

	@Test
	void wholeToolCallsAndToolResults() throws Exception {
		JsonNode calls = json(post("/v1/chat/completions", "{\"model\":\"scripted:tools\",\"parallel_tool_calls\":false,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]," + TOOLS + "}"));
		JsonNode message = calls.at("/choices/0/message");
		assertTrue(message.get("content").isNull(), "content null when only tools");
		assertEquals(1, message.get("tool_calls").size(), "parallel_tool_calls=false: one call");
		assertEquals("{\"a\":2,\"b\":3}", message.at("/tool_calls/0/function/arguments").asText());
		String id = message.at("/tool_calls/0/id").asText();

		JsonNode answer = json(post("/v1/chat/completions", "{\"model\":\"scripted:tools\",\"messages\":["
				+ "{\"role\":\"user\",\"content\":\"go\"},"
				+ "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\","
				+ "\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":2,\\\"b\\\":3}\"}}]},"
				+ "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"5\"}]," + TOOLS + "}"));
		assertEquals("The result is 5", answer.at("/choices/0/message/content").asText());
	}

	@Test
	void badInputGetsOpenAiErrors() throws Exception {
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\""), 400, null);
		assertError(post("/v1/chat/completions", "[1,2]"), 400, null);
		assertError(post("/v1/chat/completions", ""), 400, null);
		assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400, "model");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\"}"), 400, "messages");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"messages\":\"hi\"}"), 400, "messages");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"messages\":[{\"role\":\"user\","
				+ "\"content\":5}]}"), 400, "messages[0].content");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"temperature\":\"hot\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400, "temperature");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"temperature\":7,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400, "temperature");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"n\":2,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400, "n");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"tools\":[{\"type\":\"function\"}],"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400, "tools[0].name");
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:nope\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 404, "model");
		HttpResponse<String> fault = post("/v1/chat/completions", "{\"model\":\"scripted:fail\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
		assertError(fault, 502, null);
		assertFalse(fault.body().contains("\tat "), "no stack trace in the body");
		assertEquals(405, get("/v1/chat/completions").statusCode());
		assertError(get("/v1/no-such-endpoint"), 404, null);
		// the root answers the probe of Ollama's clients (its CLI sends HEAD / before anything else)
		HttpResponse<String> root = get("/");
		assertEquals(200, root.statusCode());
		assertEquals("Local AI Runtime is running", root.body());
		for (String outside : new String[] { "/api", "/health/x", "/metrics/x", "/favicon.ico", "/x" }) {
			HttpResponse<String> r = get(outside);
			assertError(r, 404, null);
			assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), outside);
		}
		// bodies Jackson refuses by its constraints: 400, on every JSON endpoint
		String deep = "[".repeat(300) + "]".repeat(300);
		for (String endpoint : new String[] { "/v1/chat/completions", "/v1/responses", "/v1/messages", "/v1/embeddings" }) {
			for (String refused : new String[] { deep, "7".repeat(1200) }) {
				HttpResponse<String> r = post(endpoint, "{\"model\":\"scripted:echo\",\"x\":" + refused + "}");
				assertEquals(400, r.statusCode(), endpoint + ": " + r.body());
				assertEquals("invalid_request_error", json(r).at("/error/type").asText(), r.body());
			}
		}
		// a named tool_choice must name one of the tools, whatever the provider
		assertError(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"tools\":[{\"type\":\"function\","
				+ "\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
				+ "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}},"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400, "tool_choice");
	}

	@Test
	void failureAfterTheFirstChunkEndsTheStreamWithAnErrorEvent() throws Exception {
		HttpResponse<InputStream> r = postStream("/v1/chat/completions", "{\"model\":\"scripted:fail-late\","
				+ "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
		assertEquals(200, r.statusCode());
		List<SseEvents.Event> events;
		try (SseEvents sse = new SseEvents(r.body())) {
			events = sse.all();
		}
		JsonNode error = JSON.readTree(events.get(events.size() - 2).data());
		assertEquals("upstream_error", error.at("/error/type").asText());
		assertEquals("[DONE]", events.get(events.size() - 1).data());
	}

	@Test
	void failureBeforeTheFirstChunkIsAnOrdinaryHttpError() throws Exception {
		HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"scripted:fail\",\"stream\":true,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
		assertError(r, 502, null);
		assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
	}

	static void assertError(HttpResponse<String> r, int status, String param) throws Exception {
		assertEquals(status, r.statusCode(), r.body());
		JsonNode error = json(r).get("error");
		assertTrue(error != null && error.get("message").isTextual() && error.get("type").isTextual(), r.body());
		assertTrue(error.has("param") && error.has("code"), r.body());
		if (param != null) {
			assertEquals(param, error.get("param").asText(), r.body());
		}
	}

	static List<JsonNode> chunks(List<SseEvents.Event> events) throws Exception {
		List<JsonNode> chunks = new java.util.ArrayList<>();
		for (SseEvents.Event e : events) {
			if (!e.data().equals("[DONE]")) {
				chunks.add(JSON.readTree(e.data()));
			}
		}
		return chunks;
	}
}
