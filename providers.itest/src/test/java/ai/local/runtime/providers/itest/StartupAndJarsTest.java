package ai.local.runtime.providers.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.process.BundleJars;
import ai.local.runtime.testing.process.RuntimeProcess;
import ai.local.runtime.testing.upstream.FakeOllama;
import ai.local.runtime.testing.upstream.FakeOpenAi;

/**
 * The runtime as a new user starts it: a conf/ that already exists (empty) gets the example files, and the first
 * request sent when /health first says ok is routed (the provider bundles in deploy/ are started by then). Then
 * each provider jar is replaced alone: updating provider.openai in deploy/ does not restart provider.ollama, and
 * an Ollama stream running meanwhile is not interrupted.
 */
class StartupAndJarsTest {
	private static FakeOpenAi vllm;
	private static FakeOllama ollama;
	private static RuntimeProcess runtime;
	private static Api api;
	private static Api.Reply firstChat;
	private static Api.Reply firstModels;

	@BeforeAll
	static void start() throws Exception {
		vllm = new FakeOpenAi("/v1", List.of("Qwen/Qwen2.5-7B-Instruct"), false);
		ollama = new FakeOllama(List.of("qwen2.5:latest"));
		Path home = Path.of(System.getProperty("runtime.home") + "-startup");
		Path dir = Path.of(System.getProperty("providers.dir"));
		RuntimeProcess.deleteTree(home);
		Files.createDirectories(home.resolve("conf")); // an existing, empty conf/
		runtime = RuntimeProcess.start(Map.of("RUNTIME_PROVIDER", "vllm", "VLLM_HOST", vllm.url(), "OLLAMA_HOST",
				"127.0.0.1:" + ollama.port()), HttpProvidersTest.PROVIDERS.stream().map(dir::resolve).toList(), home, false);
		// at once, as a client that waited for /health would
		api = new Api(runtime.base());
		firstChat = api.post("/v1/chat/completions", HttpProvidersTest.chat("Qwen/Qwen2.5-7B-Instruct", false));
		firstModels = api.get("/v1/models");
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
		vllm.close();
		ollama.close();
	}

	@Test
	void theFirstRequestAfterHealthIsRouted() {
		assertEquals(200, firstChat.status(), firstChat.body() + "\n" + runtime.log());
		assertEquals("Hello from Qwen/Qwen2.5-7B-Instruct: hi", firstChat.text());
		assertTrue(firstModels.body().contains("\"Qwen/Qwen2.5-7B-Instruct\""), firstModels.body());
		assertTrue(firstModels.body().contains("\"ollama:qwen2.5:latest\""), firstModels.body());
	}

	@Test
	void anExistingConfGetsTheMissingExampleFiles() {
		for (String cfg : List.of("runtime.http.cfg", "runtime.toolloop.cfg", "runtime.session.cfg",
				"provider.llamacpp.cfg", "provider.ollama.cfg", "provider.vllm.cfg")) {
			assertTrue(Files.exists(runtime.home.resolve("conf").resolve(cfg)), cfg);
		}
	}

	@Test
	void replacingProviderOpenAiLeavesOllamaAlone() throws Exception {
		Path dir = Path.of(System.getProperty("providers.dir"));
		Path newer = BundleJars.withHeaders(dir.resolve("provider.openai.jar"), Files.createTempFile("openai-", ".jar"),
				Map.of("Bundle-Version", "0.1.0.replaced"));
		ollama.chunkDelayMillis = 40;
		ObjectNode body = HttpProvidersTest.chat("ollama:qwen2.5:latest", true);
		String words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
		((ObjectNode) body.withArray("messages").get(0)).put("content", words + " " + words + " " + words);
		try {
			CompletableFuture<Api.Reply> stream = CompletableFuture.supplyAsync(() -> api.post("/v1/chat/completions", body));
			await("the Ollama stream runs", () -> ollama.requests("/api/chat").size() > 0);
			runtime.deploy(newer, "provider.openai.jar");
			await("the new provider.openai serves vllm", () -> api.get("/v1/models").body().contains("0.1.0.replaced"));
			Api.Reply streamed = stream.get();
			assertEquals(200, streamed.status(), streamed.body());
			assertEquals("Hello from qwen2.5:latest: " + words + " " + words + " " + words, streamed.text());
			assertTrue(streamed.body().endsWith("data: [DONE]\n\n"), streamed.body());
			assertEquals(1, ollama.completedStreams.get(), "the upstream stream ran to its end");
		} finally {
			ollama.chunkDelayMillis = 0;
		}
		String log = runtime.log();
		assertEquals(1, count(log, "provider 'ollama' registered"), "provider.ollama was restarted:\n" + log);
		assertFalse(log.contains("provider 'ollama' unregistered"), log);
		assertTrue(count(log, "provider 'vllm' registered") >= 2, log);
		assertEquals(200, api.post("/v1/chat/completions", HttpProvidersTest.chat("ollama:qwen2.5:latest", false)).status());
	}

	private static int count(String text, String what) {
		Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
		int n = 0;
		while (m.find()) {
			n++;
		}
		return n;
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 20_000;
		while (!condition.getAsBoolean()) {
			if (System.currentTimeMillis() > deadline) {
				throw new AssertionError("timed out waiting until " + what + "\n" + runtime.log());
			}
			Thread.sleep(25);
		}
	}
}
