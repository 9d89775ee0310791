package ai.local.runtime.session.itest;

import static ai.local.runtime.session.itest.Api.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import ai.local.runtime.testing.process.RuntimeProcess;

/** The session semantics of DESIGN.md §3 through every endpoint, on the default (memory) store. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsHttpTest {
	private static RuntimeProcess runtime;
	private static Api api;

	@BeforeAll
	static void start() throws Exception {
		runtime = RuntimeProcess.start(Map.of("RUNTIME_PROVIDER", "scripted"),
				List.of(Path.of(System.getProperty("scripted.provider.jar"))));
		api = new Api(runtime.base());
		waitRoutable();
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	static void waitRoutable() throws InterruptedException {
		for (int i = 0; i < 200; i++) {
			if (api.chat(user("ping"), Map.of()).status() == 200) {
				return;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("the scripted provider never became routable:\n" + runtime.log());
	}

	@Test
	void aNewSessionIdComesBackAndContinuesTheConversation() {
		Api.Reply first = api.chat(user("one"), Map.of());
		assertEquals(200, first.status(), first.body());
		String id = first.sessionId();
		assertNotNull(id, "x-session-id");
		assertTrue(id.startsWith("sess_"), id);
		assertEquals("system= users=one messages=1", first.text());

		Api.Reply second = api.chat(user("two"), Map.of(), "x-session-id", id);
		assertEquals(id, second.sessionId());
		assertEquals("system= users=one,two messages=3", second.text());

		Api.Reply third = api.chat(user("three"), Map.of("session_id", id));
		assertEquals("system= users=one,two,three messages=5", third.text(), "body session_id works the same");
	}

	@Test
	void aClientThatSendsTheWholeConversationIsNotGivenItTwice() {
		String id = "whole-" + System.nanoTime();
		List<String[]> whole = List.of(new String[] { "user", "one" }, new String[] { "assistant", "ok" },
				new String[] { "user", "two" });
		assertEquals("system= users=one,two messages=3", api.chat(whole, Map.of("session_id", id)).text());
		// the session became what the client sent plus the reply, so a short client can carry on
		assertEquals("system= users=one,two,three messages=5", api.chat(user("three"), Map.of("session_id", id)).text());
		assertEquals("system= users=solo messages=1",
				api.chat(user("solo"), Map.of("session_id", id, "use_server_history", false)).text(),
				"an explicit use_server_history=false wins");
		assertEquals("system= users=solo,again messages=3",
				api.chat(user("again"), Map.of("session_id", id, "use_server_history", true)).text());
	}

	@Test
	void systemPromptsAreNotRepeatedAndNewOnesReplaceTheOld() {
		String id = "system-" + System.nanoTime();
		List<String[]> a1 = List.of(new String[] { "system", "A" }, new String[] { "user", "one" });
		List<String[]> a2 = List.of(new String[] { "system", "A" }, new String[] { "user", "two" });
		List<String[]> b3 = List.of(new String[] { "system", "B" }, new String[] { "user", "three" });
		assertEquals("system=A users=one messages=2", api.chat(a1, Map.of("session_id", id)).text());
		assertEquals("system=A users=one,two messages=4", api.chat(a2, Map.of("session_id", id)).text());
		assertEquals("system=B users=one,two,three messages=6", api.chat(b3, Map.of("session_id", id)).text());
		assertEquals("system=B users=one,two,three,four messages=8", api.chat(user("four"), Map.of("session_id", id)).text());
	}

	@Test
	void aStreamedTurnIsStoredBeforeItsLastEvent() {
		for (int round = 0; round < 20; round++) {
			String id = "stream-" + round + "-" + System.nanoTime();
			Api.Reply streamed = api.chat(user("one"), Map.of("stream", true), "x-session-id", id);
			assertEquals(200, streamed.status());
			assertEquals(id, streamed.sessionId());
			assertTrue(streamed.body().contains("data: [DONE]"));
			assertEquals("system= users=one messages=1", streamed.text());
			// the next turn is sent the moment the stream ended
			assertEquals("system= users=one,two messages=3", api.chat(user("two"), Map.of(), "x-session-id", id).text());
		}
	}

	@Test
	void aFailedOrCancelledTurnIsNotStored() {
		String id = "failed-" + System.nanoTime();
		ObjectNode unknown = Api.JSON.createObjectNode().put("model", "scripted:nope").put("session_id", id);
		unknown.set("messages", Api.messages(user("lost")));
		assertEquals(404, api.post("/v1/chat/completions", unknown).status());
		assertEquals("system= users=kept messages=1", api.chat(user("kept"), Map.of("session_id", id)).text());
	}

	@Test
	void invalidSessionIdsAre400() {
		for (String bad : List.of("../../etc/passwd", "has space", "x".repeat(201))) {
			Api.Reply r = api.chat(user("x"), Map.of("session_id", bad));
			assertEquals(400, r.status(), r.body());
			assertEquals("invalid_request_error", r.json().at("/error/type").asText());
			assertEquals("session_id", r.json().at("/error/param").asText());
		}
	}

	@Test
	void messagesAndResponsesKeepSessionsToo() {
		ObjectNode m1 = Api.JSON.createObjectNode().put("model", "scripted:recall").put("max_tokens", 100);
		m1.set("messages", Api.messages(user("one")));
		Api.Reply r1 = api.post("/v1/messages", m1);
		assertEquals(200, r1.status(), r1.body());
		String id = r1.sessionId();
		assertNotNull(id);
		ObjectNode m2 = m1.deepCopy();
		m2.set("messages", Api.messages(user("two")));
		Api.Reply r2 = api.post("/v1/messages", m2, "x-session-id", id);
		assertEquals("system= users=one,two messages=3", r2.json().at("/content/0/text").asText());

		ObjectNode p1 = Api.JSON.createObjectNode().put("model", "scripted:recall").put("input", "first")
				.put("instructions", "I");
		JsonNode resp1 = api.post("/v1/responses", p1).json();
		assertEquals("system=I users=first messages=2", resp1.at("/output/0/content/0/text").asText());
		ObjectNode p2 = Api.JSON.createObjectNode().put("model", "scripted:recall").put("input", "second")
				.put("previous_response_id", resp1.get("id").asText());
		JsonNode resp2 = api.post("/v1/responses", p2).json();
		assertEquals("system= users=first,second messages=3", resp2.at("/output/0/content/0/text").asText(),
				"instructions do not carry over");
		ObjectNode p3 = Api.JSON.createObjectNode().put("model", "scripted:recall").put("input", "third")
				.put("session_id", "resp-session-" + System.nanoTime());
		Api.Reply s1 = api.post("/v1/responses", p3);
		ObjectNode p4 = p3.deepCopy().put("input", "fourth");
		assertEquals("system= users=third,fourth messages=3",
				api.post("/v1/responses", p4).json().at("/output/0/content/0/text").asText());
		assertEquals(p3.get("session_id").asText(), s1.sessionId());
	}

	@Test
	void theOpenAiSdkCarriesASessionAcrossTurns() {
		OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(runtime.base() + "/v1").apiKey("unused").build();
		ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("scripted:recall")
				.addUserMessage("sdk one").build();
		HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(first);
		String id = raw.headers().values("x-session-id").get(0);
		assertEquals("system= users=sdk one messages=1", raw.parse().choices().get(0).message().content().orElseThrow());
		ChatCompletionCreateParams second = ChatCompletionCreateParams.builder().model("scripted:recall")
				.addUserMessage("sdk two").putAdditionalBodyProperty("session_id", JsonValue.from(id)).build();
		assertEquals("system= users=sdk one,sdk two messages=3",
				client.chat().completions().create(second).choices().get(0).message().content().orElseThrow());
	}

	/** Last: the other tests run on the memory store. */
	@Test
	@Order(Integer.MAX_VALUE)
	void theStoreIsSwappedLiveFromConf() throws Exception {
		Path conf = runtime.home.resolve("conf/runtime.session.cfg");
		assertTrue(Files.exists(conf), "seeded from conf.example");
		String id = "swap-" + System.nanoTime();
		api.chat(user("in memory"), Map.of("session_id", id));
		Files.writeString(conf, "type=file\nendpoint=data/sessions\nnamespace=live\n");
		Path file = runtime.home.resolve("data/sessions/live/" + id + ".json");
		long deadline = System.currentTimeMillis() + 15_000;
		while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
			api.chat(user("in file"), Map.of("session_id", id));
			Thread.sleep(200);
		}
		assertTrue(Files.exists(file), "file store took over:\n" + runtime.log());
		assertTrue(Files.readString(file).contains("in file"));
	}
}
