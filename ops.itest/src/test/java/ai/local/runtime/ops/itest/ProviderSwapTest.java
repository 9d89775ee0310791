package ai.local.runtime.ops.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.process.BundleJars;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * Zero-loss swap: 50 streams run on a provider while its bundle in deploy/ is replaced by a newer build, then
 * while it is removed. Every stream ends whole (all pieces, finish_reason, [DONE]); requests sent during the
 * update are all answered, by the new bundle once it is there; after the removal the provider's models are a
 * clear 404 at once, not after a wait.
 */
class ProviderSwapTest {
	private static final String JAR = "test.provider.scripted.jar";
	private static final int STREAMS = 50;
	private static final int PIECES = 200;

	private static RuntimeProcess runtime;
	private static Api api;
	private static String oldVersion;

	@BeforeAll
	static void start() throws Exception {
		// all 50 streams run at once on the one provider: its bulkhead is raised above them
		Path home = Path.of(System.getProperty("runtime.home"));
		RuntimeProcess.deleteTree(home);
		Files.createDirectories(home.resolve("conf"));
		Files.writeString(home.resolve("conf/runtime.http.cfg"), "max.concurrent.requests.per.provider=64\n");
		runtime = RuntimeProcess.start(Map.of("RUNTIME_CONSOLE_PASSWORD", "swap-test-password"),
				List.of(Path.of(System.getProperty("scripted.provider.jar"))), home, false);
		api = new Api(runtime.base());
		Waits.until("the scripted provider answers", () -> api.post("/v1/chat/completions", echo("version")).status() == 200);
		oldVersion = api.post("/v1/chat/completions", echo("version")).text();
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	@Test
	void updatingTheBundleUnderFiftyStreamsLosesNothing() throws Exception {
		// a rebuilt provider, as FileInstall sees it: same file name, newer version
		Path newer = BundleJars.withHeaders(Path.of(System.getProperty("scripted.provider.jar")),
				Files.createTempFile("scripted-", ".jar"), Map.of("Bundle-Version", "0.1.0.swapped"));
		ExecutorService pool = Executors.newFixedThreadPool(STREAMS + 4);
		try {
			List<Future<Api.Reply>> streams = startStreams(pool);
			awaitStreamsRunning();

			AtomicBoolean swapping = new AtomicBoolean(true);
			Future<List<Api.Reply>> during = pool.submit(() -> {
				List<Api.Reply> replies = new ArrayList<>();
				while (swapping.get()) {
					replies.add(api.post("/v1/chat/completions", echo("version")));
				}
				return replies;
			});
			runtime.deploy(newer, JAR);
			Waits.until("the new bundle answers",
					() -> "0.1.0.swapped".equals(api.post("/v1/chat/completions", echo("version")).text()));
			swapping.set(false);

			assertStreamsWhole(streams);
			List<Api.Reply> replies = during.get(60, TimeUnit.SECONDS);
			assertTrue(replies.size() > 0);
			for (Api.Reply r : replies) {
				assertEquals(200, r.status(), r.body());
				assertTrue(r.text().equals(oldVersion) || r.text().equals("0.1.0.swapped"), r.text());
			}
			assertEquals("0.1.0.swapped", replies.get(replies.size() - 1).text());
			assertTrue(runtime.log().contains("letting"), "the router waited for the running requests:\n" + runtime.log());
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void removingTheBundleUnderFiftyStreamsLetsThemFinish() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
		try {
			List<Future<Api.Reply>> streams = startStreams(pool);
			awaitStreamsRunning();
			runtime.undeploy(JAR);
			assertStreamsWhole(streams);

			Waits.until("scripted models gone", () -> !api.get("/v1/models").body().contains("scripted:echo"));
			long t0 = System.nanoTime();
			Api.Reply gone = api.post("/v1/chat/completions", echo("hi"));
			long millis = (System.nanoTime() - t0) / 1_000_000;
			assertEquals(404, gone.status(), gone.body());
			assertEquals("model_not_found", gone.json().at("/error/code").asText());
			assertTrue(millis < 2000, "an uninstalled provider is not waited for: " + millis + " ms");
		} finally {
			pool.shutdownNow();
			runtime.redeploy(JAR);
			Waits.until("the provider is back", () -> api.post("/v1/chat/completions", echo("hi")).status() == 200);
		}
	}

	@Test
	void theConsolesStopAndStartActionsLoseNothingEither() throws Exception {
		String console = "/system/console/bundles";
		String[] auth = { "Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:swap-test-password".getBytes()) };
		long id = -1;
		for (JsonNode b : api.get(console + ".json", auth).json().path("data")) {
			id = b.path("symbolicName").asText().equals("test.provider.scripted") ? b.path("id").asLong() : id;
		}
		assertTrue(id > 0, "the scripted provider bundle is listed");
		ExecutorService pool = Executors.newFixedThreadPool(STREAMS + 1);
		try {
			List<Future<Api.Reply>> streams = startStreams(pool);
			awaitStreamsRunning();
			String path = console + "/" + id;
			Future<Api.Reply> stopped = pool.submit(() -> api.form(path, "action=stop", auth));
			Waits.until("the provider left routing", () -> !api.get("/v1/models").body().contains("scripted:echo"));
			// sent while the bundle is stopped: waits for it (provider.return.seconds) instead of a 404
			Future<Api.Reply> during = pool.submit(() -> api.post("/v1/chat/completions", echo("during")));
			assertStreamsWhole(streams);
			assertEquals(200, stopped.get(30, TimeUnit.SECONDS).status());
			assertEquals(200, api.form(path, "action=start", auth).status());
			Api.Reply reply = during.get(30, TimeUnit.SECONDS);
			assertEquals(200, reply.status(), reply.body());
			assertEquals("You said: during", reply.text());
		} finally {
			pool.shutdownNow();
		}
	}

	private static List<Future<Api.Reply>> startStreams(ExecutorService pool) {
		List<Future<Api.Reply>> streams = new ArrayList<>();
		for (int i = 0; i < STREAMS; i++) {
			ObjectNode body = chat("scripted:slow", "stream " + i);
			body.put("stream", true);
			streams.add(pool.submit(() -> api.post("/v1/chat/completions", body)));
		}
		return streams;
	}

	/** All streams have started before the bundle changes, so the change happens under them. */
	private static void awaitStreamsRunning() throws Exception {
		Waits.until(STREAMS + " streams running", () -> activeStreams() >= STREAMS);
	}

	private static long activeStreams() {
		for (String line : api.get("/metrics").body().split("\n")) {
			if (line.startsWith("runtime_active_streams ")) {
				return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
			}
		}
		return 0;
	}

	private static void assertStreamsWhole(List<Future<Api.Reply>> streams) throws Exception {
		for (Future<Api.Reply> f : streams) {
			Api.Reply r = f.get(60, TimeUnit.SECONDS);
			assertEquals(200, r.status(), r.body());
			assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
			assertTrue(r.body().contains("\"finish_reason\":\"stop\""), r.body());
			String text = r.text();
			assertTrue(text.startsWith("p0 ") && text.endsWith("p" + (PIECES - 1) + " "), text);
			assertEquals(PIECES, text.split(" ").length, text);
		}
	}

	private static ObjectNode chat(String model, String text) {
		ObjectNode body = Api.JSON.createObjectNode().put("model", model);
		body.putArray("messages").addObject().put("role", "user").put("content", text);
		return body;
	}

	private static JsonNode echo(String text) {
		return chat("scripted:echo", text);
	}
}
