package ai.local.runtime.itest;

import static ai.local.runtime.itest.ChatCompletionsIT.assertError;
import static ai.local.runtime.itest.RuntimeClient.HTTP;
import static ai.local.runtime.itest.RuntimeClient.base;
import static ai.local.runtime.itest.RuntimeClient.configure;
import static ai.local.runtime.itest.RuntimeClient.get;
import static ai.local.runtime.itest.RuntimeClient.json;
import static ai.local.runtime.itest.RuntimeClient.post;
import static ai.local.runtime.itest.RuntimeClient.scriptedProvider;
import static ai.local.runtime.itest.RuntimeClient.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PID runtime.http changed through Config Admin while the runtime serves: keys, prefixes, limits, default provider. */
class ConfigurationIT {
	private static final String CHAT = "{\"model\":\"scripted:echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	@BeforeAll
	static void provider() throws Exception {
		scriptedProvider();
	}

	@AfterEach
	void reset() throws Exception {
		Map<String, Object> none = new HashMap<>();
		for (String k : new String[] { "api.keys", "api.prefix.mode", "max.body.bytes", "provider.default",
				"metrics.public" }) {
			none.put(k, null);
		}
		configure(none, () -> status("/v1/chat/completions", CHAT) == 200 && status("/api/v1/chat/completions", CHAT) == 200);
	}

	@Test
	void apiKeysAreRequiredOnceConfigured() throws Exception {
		configure(Map.of("api.keys", "k-one, k-two"), () -> status("/v1/chat/completions", CHAT) == 401);
		HttpResponse<String> denied = post("/v1/chat/completions", CHAT);
		assertError(denied, 401, null);
		assertEquals("invalid_api_key", json(denied).at("/error/code").asText());
		assertEquals(401, status("/v1/chat/completions", CHAT, "Authorization", "Bearer wrong"));
		assertEquals(401, status("/v1/chat/completions", CHAT, "Authorization", "Bearer k-one-and-more"));
		assertEquals(200, status("/v1/chat/completions", CHAT, "Authorization", "Bearer k-one"));
		assertEquals(200, status("/v1/chat/completions", CHAT, "x-api-key", "k-two"));
		assertEquals(200, status("/v1/chat/completions", CHAT, "api-key", "k-one"));
		assertEquals(200, status("/v1/chat/completions?api-key=k-two", CHAT));
		assertEquals(200, status("/v1/chat/completions?api_key=k-one", CHAT));
		// the C++ original's documented form: the key in the chat completions body
		String withKey = "{\"model\":\"scripted:echo\",\"api_key\":\"k-one\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
		assertEquals(200, status("/v1/chat/completions", withKey));
		assertEquals(200, status("/v1/chat/completions", withKey.replace("api_key", "api-key")));
		assertEquals(401, status("/v1/chat/completions", withKey.replace("k-one", "k-wrong")));
		assertEquals(401, status("/v1/embeddings", "{\"model\":\"scripted:embed\",\"api_key\":\"k-one\",\"input\":\"x\"}"),
				"only chat completions reads a key from its body");
		assertEquals(401, get("/v1/models").statusCode());
		assertEquals(200, get("/health").statusCode(), "liveness stays open for probes");
		// llama-server's and Ollama's endpoints beside /v1 want the key too
		for (String path : new String[] { "/apply-template", "/tokenize", "/detokenize", "/models/load", "/models/unload",
				"/api/pull" }) {
			assertEquals(401, status(path, "{\"model\":\"scripted:echo\",\"content\":\"x\",\"tokens\":[1]}"), path);
		}
		assertEquals(401, get("/api/ps").statusCode());
		assertEquals(400, status("/tokenize", "{\"model\":\"scripted:echo\",\"content\":\"x\"}", "Authorization",
				"Bearer k-one"), "with the key: the scripted provider renders no prompts");
		assertEquals(401, get("/metrics").statusCode(), "metrics are the operator's business once keys are set");
		assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/metrics"))
				.header("Authorization", "Bearer k-two").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
		configure(Map.of("metrics.public", true), () -> {
			try {
				return get("/metrics").statusCode() == 200;
			} catch (Exception e) {
				return false;
			}
		});
	}

	@Test
	void prefixModeTurnsPrefixesOff() throws Exception {
		assertEquals(200, status("/api/v1/chat/completions", CHAT));
		configure(Map.of("api.prefix.mode", "v1"), () -> status("/api/v1/chat/completions", CHAT) == 404);
		assertEquals(200, status("/v1/chat/completions", CHAT));
		configure(Map.of("api.prefix.mode", "api"), () -> status("/v1/chat/completions", CHAT) == 404);
		assertEquals(200, status("/api/v1/chat/completions", CHAT));
		assertError(get("/v1/models"), 404, null);
	}

	@Test
	void bodiesOverTheLimitGet413() throws Exception {
		configure(Map.of("max.body.bytes", 4096L), () -> status("/v1/chat/completions", big(5000)) == 413);
		HttpResponse<String> r = post("/v1/chat/completions", big(5000));
		assertError(r, 413, null);
		assertEquals(200, status("/v1/chat/completions", big(3000)));
		// without a Content-Length (chunked), the limit holds as well
		HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
						() -> new java.io.ByteArrayInputStream(big(5000).getBytes())))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertError(chunked, 413, null);
	}

	@Test
	void defaultProviderGetsUnprefixedAndColonIds() throws Exception {
		assertError(post("/v1/chat/completions", CHAT.replace("scripted:echo", "echo")), 404, "model");
		configure(Map.of("provider.default", "scripted"),
				() -> status("/v1/chat/completions", CHAT.replace("scripted:echo", "echo")) == 200);
		assertTrue(get("/v1/models").body().contains("\"id\":\"echo\""), "the default provider's ids are unprefixed");
		// an id whose prefix names no provider goes whole to the default provider (here: unknown to it)
		HttpResponse<String> colon = post("/v1/chat/completions", CHAT.replace("scripted:echo", "qwen2.5:latest"));
		assertError(colon, 404, "model");
		assertTrue(colon.body().contains("qwen2.5:latest"), colon.body());
		assertEquals(200, get("/health/ready").statusCode());
	}

	private static String big(int size) {
		String filler = "x".repeat(size - CHAT.length() - 20);
		return "{\"model\":\"scripted:echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + filler + "\"}]}";
	}
}
