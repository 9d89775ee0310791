package ai.local.runtime.itest;

import static ai.local.runtime.itest.RuntimeClient.awaitTrue;
import static ai.local.runtime.itest.RuntimeClient.configure;
import static ai.local.runtime.itest.RuntimeClient.get;
import static ai.local.runtime.itest.RuntimeClient.json;
import static ai.local.runtime.itest.RuntimeClient.post;
import static ai.local.runtime.itest.RuntimeClient.postStream;
import static ai.local.runtime.itest.RuntimeClient.scriptedProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streams under stress: the client going away, a full runtime, and the metrics that watch them. */
class StreamingIT {
	private static final String SLOW = "{\"model\":\"scripted:slow\",\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}";

	@BeforeAll
	static void provider() throws Exception {
		scriptedProvider();
	}

	@Test
	void clientDisconnectCancelsTheGeneration() throws Exception {
		int before = cancelledStreams();
		HttpResponse<InputStream> r = postStream("/v1/chat/completions", SLOW);
		try (SseEvents sse = new SseEvents(r.body())) {
			for (int i = 0; i < 3; i++) {
				assertNotNull(sse.next());
			}
		} // closing the body mid-stream drops the connection
		awaitTrue("the provider saw the cancel", () -> cancelledStreams() == before + 1);
		awaitTrue("no stream left active", () -> metric("runtime_active_streams").equals("0"));
	}

	@Test
	void aFullRuntimeAnswers429WithRetryAfter() throws Exception {
		configure(Map.of("max.concurrent.requests", 1, "max.queued.requests", 0), () -> true);
		Thread.sleep(300); // the new limits replace the old admission; let @Modified land
		try {
			HttpResponse<InputStream> running = postStream("/v1/chat/completions", SLOW);
			try (SseEvents sse = new SseEvents(running.body())) {
				assertNotNull(sse.next());
				HttpResponse<String> refused = post("/v1/chat/completions", SLOW);
				ChatCompletionsIT.assertError(refused, 429, null);
				assertTrue(refused.headers().firstValue("retry-after").isPresent());
				assertEquals("rate_limit_error", json(refused).at("/error/type").asText());
			}
		} finally {
			Map<String, Object> none = new HashMap<>();
			none.put("max.concurrent.requests", null);
			none.put("max.queued.requests", null);
			configure(none, () -> true);
			Thread.sleep(300);
		}
	}

	@Test
	void metricsCountRequestsAndTokens() throws Exception {
		post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"messages\":[{\"role\":\"user\",\"content\":\"m\"}]}");
		String text = get("/metrics").body();
		assertTrue(text.contains("runtime_requests_total{endpoint=\"chat/completions\",provider=\"scripted\","
				+ "model=\"scripted:echo\",status=\"200\"}"), text);
		assertTrue(text.contains("runtime_request_duration_seconds_bucket{endpoint=\"chat/completions\",le=\"+Inf\"}"), text);
		assertTrue(text.contains("runtime_tokens_total{provider=\"scripted\",model=\"scripted:echo\",direction=\"completion\"}"),
				text);
	}

	private static int cancelledStreams() {
		try {
			String content = json(post("/v1/chat/completions", "{\"model\":\"scripted:echo\",\"messages\":"
					+ "[{\"role\":\"user\",\"content\":\"stats\"}]}")).at("/choices/0/message/content").asText();
			return Integer.parseInt(content.substring("cancelled=".length()));
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}

	private static String metric(String name) {
		try {
			for (String line : get("/metrics").body().split("\n")) {
				if (line.startsWith(name + " ")) {
					return line.substring(name.length() + 1);
				}
			}
			return "";
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}
}
