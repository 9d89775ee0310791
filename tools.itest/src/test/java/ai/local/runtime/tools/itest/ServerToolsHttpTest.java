package ai.local.runtime.tools.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.mcp.HttpMcpServer;
import ai.local.runtime.testing.mcp.StdioMcpServer;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * The server-side tool loop end to end: the runtime started with MCP_HOSTS naming two MCP servers (streamable
 * HTTP and SSE, both built with the MCP Java SDK) plus a stdio server configured live in conf/, the scripted
 * provider as the model.
 */
class ServerToolsHttpTest {
	private static HttpMcpServer one;
	private static HttpMcpServer two;
	private static RuntimeProcess runtime;
	private static Api api;

	@BeforeAll
	static void start() throws Exception {
		one = new HttpMcpServer("one");
		two = new HttpMcpServer("two");
		runtime = RuntimeProcess.start(
				Map.of("RUNTIME_PROVIDER", "scripted", "MCP_HOSTS", one.streamableUrl() + "," + two.sseUrl()),
				List.of(Path.of(System.getProperty("scripted.provider.jar"))));
		api = new Api(runtime.base());
		// a stdio server added while the runtime runs, as an operator would
		Files.writeString(runtime.home.resolve("conf/runtime.mcp-pipe.cfg"),
				"transport=stdio\ncommand=" + StdioMcpServer.command("pipe").replace("\\", "\\\\") + "\n");
		long end = System.nanoTime() + 60_000_000_000L;
		while (connected() < 3) {
			if (System.nanoTime() > end) {
				throw new AssertionError("MCP servers not connected: " + api.get("/v1/mcp/servers").body() + "\n"
						+ runtime.log());
			}
			Thread.sleep(100);
		}
	}

	private static int connected() {
		Api.Reply r = api.get("/v1/mcp/servers");
		int n = 0;
		if (r.status() == 200) {
			for (JsonNode s : r.json().path("data")) {
				n += "connected".equals(s.path("state").asText()) ? 1 : 0;
			}
		}
		return n;
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
		one.close();
		two.close();
	}

	@Test
	void serversAreListedWithTheirToolsAndCollisionsAreRenamed() {
		JsonNode data = api.get("/v1/mcp/servers").json().path("data");
		assertEquals(List.of("mcp1", "mcp2", "pipe"), names(data, "name"));
		assertEquals("streamable-http", data.get(0).path("transport").asText());
		assertEquals("sse", data.get(1).path("transport").asText());
		assertEquals("stdio", data.get(2).path("transport").asText());
		assertEquals(List.of("add", "upper", "slow", "fail", "boom"), names(data.get(0).path("tools"), "name"));
		assertEquals(List.of("mcp2.add", "mcp2.upper", "mcp2.slow", "mcp2.fail", "mcp2.boom"),
				names(data.get(1).path("tools"), "name"));
		assertEquals("mcp3.add", data.get(2).path("tools").get(0).path("name").asText());
		assertEquals("number", data.get(0).path("tools").get(0).at("/parameters/properties/a/type").asText());
	}

	@Test
	void aNamedServerToolIsRunAndTheTraceShowsTheCall() {
		int before = one.tools().calls("add");
		long counted = toolCallsMetric("add");
		Api.Reply r = api.post("/v1/chat/completions", body("tools", List.of("add"), Map.of("trace", true)));
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is 5", r.text());
		assertEquals("stop", r.json().at("/choices/0/finish_reason").asText());
		assertEquals(before + 1, one.tools().calls("add"));
		JsonNode trace = Api.parse(r.header("x-runtime-trace"));
		JsonNode call = find(trace, "tool");
		assertEquals("add", call.path("tool").asText());
		assertEquals("mcp1", call.path("source").asText());
		assertEquals(2, call.at("/arguments/a").asInt());
		assertEquals("5", call.path("result").asText());
		assertEquals(false, call.path("error").asBoolean());
		assertTrue(toolCallsMetric("add") >= counted + 1, api.get("/metrics").body());
	}

	/** runtime_tool_calls_total{tool="NAME"} from /metrics (0 when absent). */
	private static long toolCallsMetric(String tool) {
		String prefix = "runtime_tool_calls_total{tool=\"" + tool + "\"} ";
		for (String line : api.get("/metrics").body().split("\n")) {
			if (line.startsWith(prefix)) {
				return Long.parseLong(line.substring(prefix.length()).trim());
			}
		}
		return 0;
	}

	@Test
	void aToolOfferedByAnMcpServerRunsServerSideWithoutAnyLoopKey() {
		Api.Reply r = api.post("/v1/chat/completions", body("tools", List.of("mcp2.upper"), Map.of()));
		assertEquals(200, r.status(), r.body());
		// the scripted model calls with {"a":2,"b":3}: upper's schema wants text, so the tool says so
		assertTrue(r.text().startsWith("The result is "), r.text());
		assertEquals(null, r.header("x-runtime-trace"), "no trace unless asked");
	}

	@Test
	void responsesRunTheMcpToolsOfAConfiguredServer() throws Exception {
		int before = one.tools().calls("add");
		ObjectNode b = Api.JSON.createObjectNode().put("model", "scripted:tools").put("input", "q");
		b.putArray("tools").addObject().put("type", "mcp").put("server_label", "mcp1")
				.put("server_url", "http://127.0.0.1:1/ignored").putArray("allowed_tools").add("add");
		Api.Reply r = api.post("/v1/responses", b);
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is 5", r.json().at("/output/0/content/0/text").asText(), r.body());
		assertEquals(before + 1, one.tools().calls("add"));

		// streamed: the answer's events, with the server-side calls already run
		b.put("stream", true);
		Api.Reply streamed = api.post("/v1/responses", b);
		assertEquals(200, streamed.status(), streamed.body());
		assertTrue(streamed.body().contains("event: response.completed"), streamed.body());
		assertTrue(streamed.body().contains("The result is 5"), streamed.body());
		assertEquals(before + 2, one.tools().calls("add"));

		ObjectNode unknown = Api.JSON.createObjectNode().put("model", "scripted:tools").put("input", "q");
		unknown.putArray("tools").addObject().put("type", "mcp").put("server_label", "nowhere");
		Api.Reply refused = api.post("/v1/responses", unknown);
		assertEquals(400, refused.status(), refused.body());
		assertTrue(refused.body().contains("nowhere"), refused.body());
	}

	@Test
	void anthropicMessagesRunServerToolsToo() {
		int before = one.tools().calls("add");
		ObjectNode b = Api.JSON.createObjectNode().put("model", "scripted:tools").put("max_tokens", 100);
		b.set("messages", Api.messages(List.<String[]>of(new String[] { "user", "q" })));
		b.putArray("tools").addObject().put("name", "add"); // named without a schema: the server's
		Api.Reply r = api.post("/v1/messages", b);
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is 5", r.json().at("/content/0/text").asText(), r.body());
		assertEquals("end_turn", r.json().get("stop_reason").asText());
		assertEquals(before + 1, one.tools().calls("add"));
	}

	@Test
	void ollamasChatRunsServerToolsToo() {
		int before = one.tools().calls("add");
		ObjectNode b = body("tools", List.of("add"), Map.of("stream", false));
		Api.Reply r = api.post("/api/chat", b);
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is 5", r.json().at("/message/content").asText(), r.body());
		assertTrue(r.json().get("done").asBoolean());
		b.put("stream", true);
		Api.Reply streamed = api.post("/api/chat", b);
		assertEquals(200, streamed.status(), streamed.body());
		StringBuilder text = new StringBuilder();
		for (String line : streamed.body().split("\n")) {
			text.append(Api.parse(line).at("/message/content").asText());
		}
		assertEquals("The result is 5", text.toString());
		assertEquals(before + 2, one.tools().calls("add"));
	}

	@Test
	void theStdioServerAnswersToo() {
		Api.Reply r = api.post("/v1/chat/completions", body("tools", List.of("mcp3.add"), Map.of("trace", true)));
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is 5", r.text());
		assertEquals("pipe", find(Api.parse(r.header("x-runtime-trace")), "tool").path("source").asText());
	}

	@Test
	void streamedRunsSendToolCallDeltasTraceCommentsThenTheAnswer() {
		Api.Reply r = api.post("/v1/chat/completions",
				body("tools", List.of("add"), Map.of("stream", true, "trace", true, "stream_options",
						Map.of("include_usage", true))));
		assertEquals(200, r.status(), r.body());
		String body = r.body();
		int call = body.indexOf("\"tool_calls\"");
		int comment = body.indexOf(": x-runtime-trace: {");
		int answer = body.indexOf("The ");
		assertTrue(call > 0 && comment > call && answer > comment, body);
		assertTrue(body.contains("\"name\":\"add\""), body);
		assertTrue(body.contains("\"finish_reason\":\"stop\""), body);
		assertTrue(body.endsWith("data: [DONE]\n\n"), body);
		assertEquals("The result is 5", r.text());
		assertTrue(body.contains("\"usage\":{"), body);
	}

	@Test
	void maxStepsEndsTheLoopWithAnAnswer() {
		Api.Reply r = api.post("/v1/chat/completions",
				body("tools-forever", List.of("add"), Map.of("max_steps", 3, "trace", true)));
		assertEquals(200, r.status(), r.body());
		assertEquals("Stopped after 2 tool results: 5 | 5", r.text());
		assertNotNull(find(Api.parse(r.header("x-runtime-trace")), "limit"));

		Api.Reply calls = api.post("/v1/chat/completions",
				body("tools-forever", List.of("add"), Map.of("max_tool_calls", 1)));
		assertEquals("Stopped after 1 tool results: 5", calls.text());
	}

	@Test
	void failingToolsBecomeErrorResultsForTheModel() {
		assertEquals("The result is the tool failed on purpose",
				api.post("/v1/chat/completions", body("tools", List.of("fail"), Map.of())).text());
		Api.Reply boom = api.post("/v1/chat/completions", body("tools", List.of("boom"), Map.of("trace", true)));
		assertEquals(200, boom.status(), boom.body());
		assertTrue(find(Api.parse(boom.header("x-runtime-trace")), "tool").path("error").asBoolean(), boom.body());
	}

	@Test
	void aSlowToolTimesOut() {
		long t0 = System.nanoTime();
		Api.Reply r = api.post("/v1/chat/completions", body("tools", List.of("slow"), Map.of("tool_timeout", 0.5)));
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is tool 'slow' timed out after 500 ms", r.text());
		assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "the 5 s tool was not waited for");
	}

	@Test
	void aWebPageCannotRunAnMcpTool() throws Exception {
		// the attack run's repro: a DNS-rebinding page posts text/plain, naming an MCP tool
		int before = one.tools().calls("add");
		String body = "{\"model\":\"scripted:tools\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],"
				+ "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"add\"}}]}";
		for (String[] attack : new String[][] { { "evil.example:" + runtime.port, "http://evil.example:" + runtime.port },
				{ "127.0.0.1:" + runtime.port, "http://evil.example" } }) {
			try (java.net.Socket s = new java.net.Socket("127.0.0.1", runtime.port)) {
				s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + attack[0] + "\r\nOrigin: "
						+ attack[1] + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
						+ "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
				String reply = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
				assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
			}
		}
		assertEquals(before, one.tools().calls("add"), "the tool ran for a web page");
	}

	@Test
	void unknownServerToolsAre400() {
		Api.Reply r = api.post("/v1/chat/completions", body("tools", List.of("nope"), Map.of("max_steps", 2)));
		assertEquals(400, r.status(), r.body());
		assertTrue(r.json().at("/error/message").asText().contains("No tool source offers tool 'nope'"), r.body());
		assertEquals("tools", r.json().at("/error/param").asText());
		// without any loop key too (as when the tool's MCP server is down): never a client call of a tool without schema
		Api.Reply noKeys = api.post("/v1/chat/completions", body("tools", List.of("nope"), Map.of()));
		assertEquals(400, noKeys.status(), noKeys.body());
		assertTrue(noKeys.json().at("/error/message").asText().contains("No tool source offers tool 'nope'"),
				noKeys.body());
		Api.Reply bad = api.post("/v1/chat/completions", body("tools", List.of("add"), Map.of("max_steps", 0)));
		assertEquals(400, bad.status(), bad.body());
	}

	@Test
	void thePlannerRewritesAnInvalidPlan() {
		Api.Reply r = api.post("/v1/chat/completions",
				body("planner", List.of("add"), Map.of("planner", true, "trace", true)));
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is 5", r.text());
		List<JsonNode> plans = all(Api.parse(r.header("x-runtime-trace")), "plan");
		assertEquals(2, plans.size(), r.header("x-runtime-trace"));
		assertEquals(false, plans.get(0).path("valid").asBoolean());
		assertTrue(plans.get(0).path("problems").toString().contains("(add)"), plans.get(0).toString());
		assertEquals(true, plans.get(1).path("valid").asBoolean());
	}

	@Test
	void aPlanThatNeverComesRightFallsBackToTheLoop() {
		Api.Reply r = api.post("/v1/chat/completions",
				body("planner-bad", List.of("add"), Map.of("planner", Map.of("max_rewrites", 1), "trace", true)));
		assertEquals(200, r.status(), r.body());
		assertEquals("The result is 5", r.text());
		JsonNode trace = Api.parse(r.header("x-runtime-trace"));
		assertEquals(2, all(trace, "plan").size());
		assertNotNull(find(trace, "fallback"));
	}

	@Test
	void theRunIsRecordedInTheSession() {
		String id = "tools-" + System.nanoTime();
		assertEquals("The result is 5", api.post("/v1/chat/completions",
				body("tools", List.of("add"), Map.of("session_id", id))).text());
		ObjectNode next = Api.JSON.createObjectNode().put("model", "scripted:recall").put("session_id", id);
		next.set("messages", Api.messages(List.<String[]>of(new String[] { "user", "again" })));
		// user, assistant tool call, tool result, answer, and the new user message
		assertEquals("system= users=q,again messages=5", api.post("/v1/chat/completions", next).text());
	}

	@Test
	void clientToolsInTheSameRequestAreHandedBackToTheClient() {
		ObjectNode b = body("tools", List.of("add"), Map.of());
		ObjectNode weather = ((ArrayNode) b.get("tools")).addObject().put("type", "function");
		weather.putObject("function").put("name", "get_weather").putObject("parameters").put("type", "object");
		Api.Reply r = api.post("/v1/chat/completions", b);
		assertEquals(200, r.status(), r.body());
		assertEquals("tool_calls", r.json().at("/choices/0/finish_reason").asText());
		JsonNode calls = r.json().at("/choices/0/message/tool_calls");
		assertEquals(1, calls.size(), r.body());
		assertEquals("get_weather", calls.get(0).at("/function/name").asText());
	}

	@Test
	void refreshListsAgainAndNamesUnknownServers() {
		Api.Reply r = api.post("/v1/mcp/refresh?server=mcp1", Api.JSON.createObjectNode());
		assertEquals(200, r.status(), r.body());
		assertEquals("mcp1", r.json().at("/data/0/name").asText());
		Api.Reply unknown = api.post("/v1/mcp/refresh?server=zzz", Api.JSON.createObjectNode());
		assertEquals(404, unknown.status());
		assertEquals("mcp_server_not_found", unknown.json().at("/error/code").asText());
	}

	@Test
	void theOpenAiSdkGetsTheAnswerComputedWithTheTool() {
		OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(runtime.base() + "/v1").apiKey("unused").build();
		ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("scripted:tools")
				.addUserMessage("what is 2 + 3?")
				.addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("add")
						.parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
								.build())
						.build()).build())
				.build());
		assertEquals("The result is 5", c.choices().get(0).message().content().orElseThrow());
		assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
	}

	private static ObjectNode body(String model, List<String> tools, Map<String, Object> extra) {
		ObjectNode b = Api.JSON.createObjectNode().put("model", "scripted:" + model);
		b.set("messages", Api.messages(List.<String[]>of(new String[] { "user", "q" })));
		ArrayNode t = b.putArray("tools");
		for (String name : tools) {
			t.addObject().put("type", "function").putObject("function").put("name", name);
		}
		extra.forEach((k, v) -> b.set(k, Api.JSON.valueToTree(v)));
		return b;
	}

	private static List<String> names(JsonNode list, String field) {
		List<String> out = new ArrayList<>();
		list.forEach(n -> out.add(n.path(field).asText()));
		return out;
	}

	private static JsonNode find(JsonNode trace, String kind) {
		List<JsonNode> found = all(trace, kind);
		return found.isEmpty() ? null : found.get(0);
	}

	private static List<JsonNode> all(JsonNode trace, String kind) {
		List<JsonNode> out = new ArrayList<>();
		trace.forEach(n -> {
			if (kind.equals(n.path("kind").asText())) {
				out.add(n);
			}
		});
		return out;
	}
}
