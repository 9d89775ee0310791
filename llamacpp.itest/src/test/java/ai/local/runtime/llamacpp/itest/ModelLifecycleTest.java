package ai.local.runtime.llamacpp.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * Models load on demand and unload when idle: keep.alive 2s (LLAMA_CPP_KEEP_ALIVE), a pinned model
 * (LLAMA_CPP_PIN), a request's keep_alive, POST /models/load and /models/unload, GET /api/ps.
 */
class ModelLifecycleTest {
	private static final String CONSOLE = "lifecycle-console";
	private static RuntimeProcess runtime;
	private static Http http;

	@BeforeAll
	static void start() throws Exception {
		Path models = Path.of(System.getProperty("models.dir") + "-lifecycle");
		RuntimeProcess.deleteTree(models);
		for (String id : List.of("idle", "pinned", "once", "forever")) {
			TinyLlama.tiny(id, id.length()).write(models.resolve(id + ".gguf"));
		}
		runtime = Runtimes.start("lifecycle", Map.of("LLAMA_CPP_MODEL", models.toString(), "LLAMA_CPP_N_CTX", "512",
				"LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_THREADS", "2", "LLAMA_CPP_MAX_LOADED_MODELS", "4",
				"LLAMA_CPP_KEEP_ALIVE", "2s", "LLAMA_CPP_PIN", "pinned", "RUNTIME_CONSOLE_PASSWORD", CONSOLE));
		http = new Http(runtime.base());
		http.awaitReady();
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	private static void chat(String model, String extra) throws Exception {
		http.postOk("/v1/chat/completions", "{\"model\":\"" + model + "\",\"max_tokens\":2" + extra
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
	}

	private static Map<String, JsonNode> ps() throws Exception {
		HttpResponse<String> r = http.get("/api/ps");
		assertEquals(200, r.statusCode(), r.body());
		Map<String, JsonNode> out = new java.util.HashMap<>();
		Http.JSON.readTree(r.body()).get("models").forEach(m -> out.put(m.get("name").asText(), m));
		return out;
	}

	private static boolean loaded(String id) throws Exception {
		for (JsonNode m : Http.JSON.readTree(http.get("/v1/models").body()).get("data")) {
			if (m.get("id").asText().equals(id)) {
				assertTrue(m.has("loaded"), m.toString());
				return m.get("loaded").asBoolean();
			}
		}
		throw new AssertionError("no model " + id);
	}

	private static void awaitUnloaded(String id) throws Exception {
		long deadline = System.nanoTime() + 15_000_000_000L;
		while (ps().containsKey(id)) {
			assertTrue(System.nanoTime() < deadline, id + " still loaded");
			Thread.sleep(200);
		}
	}

	@Test
	void idleModelsUnloadAfterKeepAliveAndPinnedOnesStay() throws Exception {
		chat("idle", "");
		chat("pinned", "");
		Map<String, JsonNode> ps = ps();
		assertTrue(ps.containsKey("idle") && ps.containsKey("pinned"), ps.toString());
		Instant expires = Instant.parse(ps.get("idle").get("expires_at").asText());
		assertTrue(expires.isAfter(Instant.now()) && expires.isBefore(Instant.now().plusSeconds(3)), expires.toString());
		assertTrue(ps.get("pinned").get("pinned").asBoolean());
		assertTrue(ps.get("idle").get("size").asLong() > ps.get("idle").get("size_file").asLong(), "memory: file + KV + compute");
		String metrics = http.get("/metrics").body();
		assertTrue(metrics.matches("(?s).*runtime_model_memory_bytes\\{provider=\"llama_cpp\",model=\"pinned\"\\} [1-9].*"), metrics);
		awaitUnloaded("idle");
		assertFalse(loaded("idle"));
		Thread.sleep(1500);
		assertTrue(ps().containsKey("pinned"), "a pinned model stays");
		// and an unloaded model loads again on demand
		chat("idle", "");
		assertTrue(loaded("idle"));
	}

	@Test
	void aRequestsKeepAliveRules() throws Exception {
		chat("once", ",\"keep_alive\":0");
		assertFalse(ps().containsKey("once"), "keep_alive 0 unloads after the request");
		chat("forever", ",\"keep_alive\":-1");
		Thread.sleep(3500);
		assertTrue(ps().containsKey("forever"), "keep_alive -1 keeps it past keep.alive");
		HttpResponse<String> bad = http.post("/v1/chat/completions", "{\"model\":\"idle\",\"keep_alive\":\"soon\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		assertEquals(400, bad.statusCode(), bad.body());
		assertTrue(bad.body().contains("keep_alive"), bad.body());
	}

	private static JsonNode console() throws Exception {
		HttpResponse<String> r = http.get("/system/console/airuntime/status.json", "admin", CONSOLE);
		assertEquals(200, r.statusCode(), r.body());
		return Http.JSON.readTree(r.body());
	}

	@Test
	void theConsolesModelManagerLoadsUnloadsAndPins() throws Exception {
		JsonNode llama = console().at("/providers/0");
		List<String> listed = new ArrayList<>();
		llama.get("modelDetails").forEach(m -> {
			listed.add(m.get("id").asText());
			assertTrue(m.get("size").asLong() > 0 && m.get("context").asInt() == 512, m.toString());
		});
		assertTrue(listed.containsAll(List.of("idle", "pinned", "once", "forever")), listed.toString());
		assertEquals(200, http.postAs("/system/console/airuntime/load?provider=llama_cpp&model=forever", "admin", CONSOLE)
				.statusCode());
		assertTrue(ps().containsKey("forever"));
		assertEquals(200, http.postAs("/system/console/airuntime/unload?provider=llama_cpp&model=forever", "admin",
				CONSOLE).statusCode());
		assertFalse(ps().containsKey("forever"));
		HttpResponse<String> missing = http.postAs("/system/console/airuntime/load?provider=llama_cpp&model=nope", "admin",
				CONSOLE);
		assertEquals(404, missing.statusCode(), missing.body());
		// pinned from the console: saved in the provider's configuration, and the model then stays
		assertEquals(200, http.postAs("/system/console/airuntime/pin?model=once&on=true", "admin", CONSOLE).statusCode());
		assertTrue(console().get("pins").toString().contains("once"), console().get("pins").toString());
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (true) {
			chat("once", "");
			JsonNode once = ps().get("once");
			if (once != null && once.get("pinned").asBoolean()) {
				break;
			}
			assertTrue(System.nanoTime() < deadline, "the pin reaches the provider: " + ps());
			Thread.sleep(300);
		}
		assertEquals(200, http.postAs("/system/console/airuntime/pin?model=once&on=false", "admin", CONSOLE).statusCode());
		assertEquals(200, http.postAs("/system/console/airuntime/unload?provider=llama_cpp&model=once", "admin", CONSOLE)
				.statusCode());
	}

	@Test
	void loadAndUnloadOnRequest() throws Exception {
		JsonNode load = http.postOk("/models/load", "{\"model\":\"once\",\"keep_alive\":\"1h\"}");
		assertTrue(load.get("success").asBoolean());
		Instant expires = Instant.parse(ps().get("once").get("expires_at").asText());
		assertTrue(expires.isAfter(Instant.now().plusSeconds(3000)), expires.toString());
		JsonNode unload = http.postOk("/models/unload", "{\"model\":\"once\"}");
		assertTrue(unload.get("unloaded").asBoolean());
		assertFalse(ps().containsKey("once"));
		assertFalse(http.postOk("/models/unload", "{\"model\":\"once\"}").get("unloaded").asBoolean());
		assertEquals(404, http.post("/models/load", "{\"model\":\"nope\"}").statusCode());
		assertEquals(405, http.post("/api/ps", "{}").statusCode());
		List<String> names = new ArrayList<>(ps().keySet());
		assertFalse(names.contains("once"), names.toString());
	}
}
