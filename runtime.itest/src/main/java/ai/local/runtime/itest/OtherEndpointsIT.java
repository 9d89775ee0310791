package ai.local.runtime.itest;

import static ai.local.runtime.itest.ChatCompletionsIT.assertError;
import static ai.local.runtime.itest.RuntimeClient.CONTEXT;
import static ai.local.runtime.itest.RuntimeClient.JSON;
import static ai.local.runtime.itest.RuntimeClient.json;
import static ai.local.runtime.itest.RuntimeClient.post;
import static ai.local.runtime.itest.RuntimeClient.postStream;
import static ai.local.runtime.itest.RuntimeClient.scriptedProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.SessionStore;

/** /v1/embeddings, /v1/responses (with a SessionStore service for previous_response_id) and /v1/messages. */
class OtherEndpointsIT {

	@BeforeAll
	static void provider() throws Exception {
		scriptedProvider();
	}

	@Test
	void embeddingsAsFloatsAndBase64() throws Exception {
		JsonNode floats = json(post("/v1/embeddings", "{\"model\":\"scripted:embed\",\"input\":[\"a b\",\"c\"]}"));
		assertEquals("list", floats.get("object").asText());
		assertEquals(2, floats.get("data").size());
		assertEquals(8, floats.at("/data/0/embedding").size());
		assertEquals(1, floats.at("/data/1/index").asInt());
		assertEquals(3, floats.at("/usage/prompt_tokens").asInt());

		JsonNode b64 = json(post("/v1/embeddings", "{\"model\":\"scripted:embed\",\"input\":[\"a b\",\"c\"],"
				+ "\"encoding_format\":\"base64\"}"));
		ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText()))
				.order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(8 * 4, bytes.capacity());
		for (int i = 0; i < 8; i++) {
			assertEquals(floats.at("/data/0/embedding/" + i).floatValue(), bytes.getFloat(), 0f);
		}
		assertEquals(16, json(post("/v1/embeddings", "{\"model\":\"scripted:embed\",\"input\":[[1,2,3]],"
				+ "\"dimensions\":16}")).at("/data/0/embedding").size());
		assertError(post("/v1/embeddings", "{\"model\":\"scripted:embed\"}"), 400, "input");
		assertError(post("/v1/embeddings", "{\"model\":\"scripted:embed\",\"input\":[\"a\",[1]]}"), 400, "input");
		assertError(post("/v1/embeddings", "{\"model\":\"scripted:embed\",\"input\":\"a\",\"encoding_format\":\"hex\"}"),
				400, "encoding_format");
		assertError(post("/v1/embeddings", "{\"model\":\"scripted:echo\",\"input\":\"a\"}"), 400, "model");
	}

	@Test
	void responsesContinueThroughTheSessionStore() throws Exception {
		String first = "{\"model\":\"scripted:echo\",\"instructions\":\"be nice\",\"input\":\"hello\"}";
		assertError(post("/v1/responses", "{\"model\":\"scripted:echo\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}"),
				503, null);
		Map<String, List<ChatMessage>> stored = new ConcurrentHashMap<>();
		ServiceRegistration<SessionStore> reg = CONTEXT.registerService(SessionStore.class, new SessionStore() {
			@Override
			public List<ChatMessage> load(String id) {
				return stored.getOrDefault(id, List.of());
			}

			@Override
			public void append(String id, List<ChatMessage> messages) {
				stored.computeIfAbsent(id, k -> new ArrayList<>()).addAll(messages);
			}

			@Override
			public void replace(String id, List<ChatMessage> history) {
				stored.put(id, List.copyOf(history));
			}

			@Override
			public boolean delete(String id) {
				return stored.remove(id) != null;
			}
		}, null);
		try {
			JsonNode r1 = json(post("/v1/responses", first));
			assertEquals("response", r1.get("object").asText());
			assertEquals("completed", r1.get("status").asText());
			assertEquals("You said: hello", r1.at("/output/0/content/0/text").asText());
			assertEquals("output_text", r1.at("/output/0/content/0/type").asText());
			assertTrue(r1.at("/usage/total_tokens").asInt() > 0);
			String id = r1.get("id").asText();
			assertEquals(2, stored.get(id).size(), "user input + answer, no instructions");

			JsonNode r2 = json(post("/v1/responses", "{\"model\":\"scripted:echo\",\"input\":\"again\","
					+ "\"previous_response_id\":\"" + id + "\"}"));
			assertEquals(4, stored.get(r2.get("id").asText()).size(), "the chain holds both turns");
			assertError(post("/v1/responses", "{\"model\":\"scripted:echo\",\"input\":\"x\","
					+ "\"previous_response_id\":\"resp_unknown\"}"), 404, "previous_response_id");

			List<JsonNode> events = new ArrayList<>();
			try (SseEvents sse = new SseEvents(postStream("/v1/responses", "{\"model\":\"scripted:echo\","
					+ "\"stream\":true,\"input\":\"streamed\",\"previous_response_id\":\"" + id + "\"}").body())) {
				for (SseEvents.Event e : sse.all()) {
					JsonNode data = JSON.readTree(e.data());
					assertEquals(e.name(), data.get("type").asText(), "event name = type");
					events.add(data);
				}
			}
			List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
			assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
					"response.content_part.added"), types.subList(0, 4));
			assertEquals(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
					"response.completed"), types.subList(types.size() - 4, types.size()));
			for (int i = 0; i < events.size(); i++) {
				assertEquals(i, events.get(i).get("sequence_number").asInt());
			}
			JsonNode completed = events.get(events.size() - 1).get("response");
			assertEquals("You said: streamed", completed.at("/output/0/content/0/text").asText());
			assertEquals(4, stored.get(completed.get("id").asText()).size(), "stored before response.completed");
		} finally {
			reg.unregister();
		}
	}

	@Test
	void responsesStreamFunctionCalls() throws Exception {
		List<JsonNode> events = new ArrayList<>();
		try (SseEvents sse = new SseEvents(postStream("/v1/responses", "{\"model\":\"scripted:tools\",\"stream\":true,"
				+ "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"go\"}]}],"
				+ "\"tools\":[{\"type\":\"function\",\"name\":\"add\",\"parameters\":{\"type\":\"object\"}}]}").body())) {
			for (SseEvents.Event e : sse.all()) {
				events.add(JSON.readTree(e.data()));
			}
		}
		StringBuilder args = new StringBuilder();
		JsonNode done = null;
		for (JsonNode e : events) {
			if (e.get("type").asText().equals("response.function_call_arguments.delta")) {
				args.append(e.get("delta").asText());
			}
			if (e.get("type").asText().equals("response.function_call_arguments.done")) {
				done = e;
			}
		}
		assertEquals("{\"a\":2,\"b\":3}", args.toString());
		assertEquals(args.toString(), done.get("arguments").asText());
		JsonNode item = events.get(events.size() - 1).at("/response/output/0");
		assertEquals("function_call", item.get("type").asText());
		assertEquals("add", item.get("name").asText());
	}

	@Test
	void anthropicMessagesWholeAndStreamed() throws Exception {
		JsonNode whole = json(post("/v1/messages", "{\"model\":\"scripted:echo\",\"max_tokens\":64,"
				+ "\"system\":\"terse\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hey\"}]}]}"));
		assertEquals("message", whole.get("type").asText());
		assertEquals("You said: hey", whole.at("/content/0/text").asText());
		assertEquals("end_turn", whole.get("stop_reason").asText());

		List<String> names = new ArrayList<>();
		StringBuilder json = new StringBuilder();
		try (SseEvents sse = new SseEvents(postStream("/v1/messages", "{\"model\":\"scripted:tools\",\"max_tokens\":64,"
				+ "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}],"
				+ "\"tools\":[{\"name\":\"add\",\"input_schema\":{\"type\":\"object\"}}]}").body())) {
			for (SseEvents.Event e : sse.all()) {
				names.add(e.name());
				JsonNode data = JSON.readTree(e.data());
				if ("input_json_delta".equals(data.at("/delta/type").asText())) {
					json.append(data.at("/delta/partial_json").asText());
				}
				if (e.name().equals("message_delta")) {
					assertEquals("tool_use", data.at("/delta/stop_reason").asText());
				}
			}
		}
		assertEquals("message_start", names.get(0));
		assertEquals("content_block_start", names.get(1));
		assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
				names.subList(names.size() - 3, names.size()));
		assertEquals("{\"a\":2,\"b\":3}", json.toString());

		JsonNode error = json(post("/v1/messages", "{\"model\":\"scripted:echo\",\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}"));
		assertEquals("error", error.get("type").asText());
		assertEquals("invalid_request_error", error.at("/error/type").asText());
	}
}
