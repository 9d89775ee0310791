package ai.local.runtime.llamacpp.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;
import ai.local.runtime.testing.upstream.FakeHub;

/**
 * Pulling models from the Hub (a fake speaking its documented API, as the Hub cannot be reached here) through
 * Ollama's POST /api/pull and bin/local-ai-runtime pull: progress, the pulled id served, quantisations, a
 * download cut and resumed, corrupt bytes refused and not kept, gated repositories, shared downloads, pull on
 * demand.
 */
class ModelPullTest {
	private static FakeHub hub;
	private static RuntimeProcess runtime;
	private static Http http;
	private static Path models;
	private static byte[] q4;
	private static byte[] q8;
	private static Path work;
	private static byte[] resume;
	private static byte[] corrupt;
	private static byte[] shared;
	private static byte[] cancel;

	/** A distinct tiny model per repository: the fake Hub serves blobs by their sha256. */
	private static byte[] model(String name, long seed) throws Exception {
		return Files.readAllBytes(TinyLlama.tiny(name, seed).write(work.resolve(name + ".gguf")));
	}

	@BeforeAll
	static void start() throws Exception {
		work = Path.of(System.getProperty("models.dir") + "-pull-src");
		RuntimeProcess.deleteTree(work);
		q4 = model("q4", 4);
		q8 = model("q8", 8);
		byte[] projector = "not a model: a multimodal projector".getBytes(StandardCharsets.UTF_8);
		Map<String, byte[]> tiny = new LinkedHashMap<>();
		tiny.put("README.md", "# tiny".getBytes(StandardCharsets.UTF_8));
		tiny.put("Tiny-Q4_K_M.gguf", q4);
		tiny.put("Tiny-Q8_0.gguf", q8);
		tiny.put("mmproj-Tiny-F16.gguf", projector);
		hub = new FakeHub().repo("acme/Tiny-GGUF", tiny, null)
				.repo("acme/Resume-GGUF", Map.of("Resume-Q4_K_M.gguf", resume = model("resume", 10)), null)
				.repo("acme/Corrupt-GGUF", Map.of("Corrupt-Q4_K_M.gguf", corrupt = model("corrupt", 11)), null)
				.repo("acme/Gated-GGUF", Map.of("Gated-Q4_K_M.gguf", model("gated", 12)), "hf_secret")
				.repo("acme/Other-GGUF", Map.of("Other-Q4_K_M.gguf", model("other", 13)), "hf_other")
				.repo("acme/Shared-GGUF", Map.of("Shared-Q4_K_M.gguf", shared = model("shared", 14)), null)
				.repo("acme/Split-GGUF", Map.of("Big-Q4_K_M-00001-of-00002.gguf", model("part1", 15),
						"Big-Q4_K_M-00002-of-00002.gguf", model("part2", 16)), null)
				.repo("acme/Demand-GGUF", Map.of("Demand-Q4_K_M.gguf", model("demand", 17)), null)
				.repo("acme/Console-GGUF", Map.of("Console-Q4_K_M.gguf", model("console", 18)), null)
				.repo("acme/Cancel-GGUF", Map.of("Cancel-Q4_K_M.gguf", cancel = model("cancel", 19)), null);
		models = Path.of(System.getProperty("models.dir") + "-pull");
		RuntimeProcess.deleteTree(models);
		Files.createDirectories(models);
		runtime = Runtimes.start("pull", Map.of("LLAMA_CPP_MODEL", models.toString(), "LLAMA_CPP_N_CTX", "512",
				"LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_THREADS", "2", "HF_ENDPOINT", hub.url(), "HF_TOKEN", "hf_secret",
				"LLAMA_CPP_PULL_ON_DEMAND", "true", "RUNTIME_CONSOLE_PASSWORD", "pull-console"));
		http = new Http(runtime.base());
		http.awaitUp(); // no model yet: never "ready"
		// and the engine: a first request waits for it, pulls do not load a model
		http.get("/v1/models");
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
		if (hub != null) {
			hub.close();
		}
	}

	/** The NDJSON lines of a streamed pull. */
	private static List<JsonNode> pull(String ref) throws Exception {
		HttpResponse<String> r = http.post("/api/pull", Http.JSON.writeValueAsString(Map.of("model", ref)));
		if (r.statusCode() != 200) {
			// refused before the first line: an error response with its status
			return List.of(Http.JSON.createObjectNode().put("error", Http.JSON.readTree(r.body()).get("error").asText())
					.put("status_code", r.statusCode())); // Ollama's {"error": "..."}
		}
		List<JsonNode> lines = new ArrayList<>();
		for (String l : r.body().split("\n")) {
			if (!l.isBlank()) {
				lines.add(Http.JSON.readTree(l));
			}
		}
		return lines;
	}

	private static String last(List<JsonNode> lines) {
		JsonNode l = lines.get(lines.size() - 1);
		return l.has("error") ? "error: " + l.get("error").asText() : l.get("status").asText();
	}

	private static List<String> ids() throws Exception {
		List<String> ids = new ArrayList<>();
		Http.JSON.readTree(http.get("/v1/models").body()).get("data").forEach(m -> ids.add(m.get("id").asText()));
		return ids;
	}

	@Test
	void aPulledModelIsServedUnderThePulledId() throws Exception {
		String ref = "hf.co/acme/Tiny-GGUF:q4_k_m";
		List<JsonNode> lines = pull(ref);
		assertEquals("pulling manifest", lines.get(0).get("status").asText());
		assertEquals("success", last(lines), lines.toString());
		JsonNode download = lines.stream().filter(l -> l.path("digest").asText().equals("sha256:" + FakeHub.sha256(q4)))
				.reduce((a, b) -> b).orElseThrow();
		assertEquals(q4.length, download.get("total").asLong());
		assertEquals(q4.length, download.get("completed").asLong());
		Path dir = models.resolve("hf.co/acme/Tiny-GGUF");
		assertTrue(Files.exists(dir.resolve("Tiny-Q4_K_M.gguf")) && Files.exists(dir.resolve("mmproj-Tiny-F16.gguf")));
		assertFalse(Files.exists(dir.resolve("Tiny-Q8_0.gguf")), "only the quantisation asked for");
		assertTrue(ids().contains(ref), ids().toString());
		JsonNode chat = http.postOk("/v1/chat/completions", "{\"model\":\"" + ref + "\",\"max_tokens\":3,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		assertEquals(ref, chat.get("model").asText());
		// pulled again: nothing is downloaded twice
		int before = hub.ranges().size();
		assertEquals("success", last(pull(ref)));
		assertEquals(before, hub.ranges().size());
	}

	@Test
	void theDefaultQuantisationAndAClearErrorForOneThatIsNotThere() throws Exception {
		assertEquals("success", last(pull("acme/Tiny-GGUF")));
		assertTrue(ids().contains("acme/Tiny-GGUF"));
		String missing = last(pull("acme/Tiny-GGUF:Q5_K_S"));
		assertTrue(missing.contains("no Q5_K_S") && missing.contains("Q4_K_M") && missing.contains("Q8_0"), missing);
		HttpResponse<String> whole = http.post("/api/pull", "{\"model\":\"acme/Tiny-GGUF:Q8_0\",\"stream\":false}");
		assertEquals(200, whole.statusCode(), whole.body());
		assertEquals("success", Http.JSON.readTree(whole.body()).get("status").asText());
		HttpResponse<String> none = http.post("/api/pull", "{\"model\":\"acme/Nothing-GGUF\",\"stream\":false}");
		assertEquals(404, none.statusCode(), none.body());
		HttpResponse<String> bad = http.post("/api/pull", "{\"model\":\"../../etc\",\"stream\":false}");
		assertEquals(400, bad.statusCode(), bad.body());
	}

	@Test
	void ollamasDeleteRemovesAPulledModelAndLeavesWhatOthersUse() throws Exception {
		assertEquals("success", last(pull("hf.co/acme/Tiny-GGUF:Q8_0")));
		assertEquals("success", last(pull("hf.co/acme/Tiny-GGUF:Q4_K_M")));
		Path dir = models.resolve("hf.co/acme/Tiny-GGUF");
		http.postOk("/v1/chat/completions", "{\"model\":\"hf.co/acme/Tiny-GGUF:Q8_0\",\"max_tokens\":2,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"); // loaded: it is unloaded first
		HttpResponse<String> deleted = http.send("DELETE", "/api/delete", "{\"model\":\"hf.co/acme/Tiny-GGUF:Q8_0\"}");
		assertEquals(200, deleted.statusCode(), deleted.body());
		assertFalse(Files.exists(dir.resolve("Tiny-Q8_0.gguf")));
		assertTrue(Files.exists(dir.resolve("mmproj-Tiny-F16.gguf")), "the other pull's projector stays");
		assertFalse(ids().contains("hf.co/acme/Tiny-GGUF:Q8_0"));
		assertFalse(Http.JSON.readTree(http.get("/api/tags").body()).toString().contains("Tiny-GGUF:Q8_0"));
		http.postOk("/v1/chat/completions", "{\"model\":\"hf.co/acme/Tiny-GGUF:Q4_K_M\",\"max_tokens\":2,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		HttpResponse<String> again = http.send("DELETE", "/api/delete", "{\"model\":\"hf.co/acme/Tiny-GGUF:Q8_0\"}");
		assertEquals(404, again.statusCode(), again.body());
		assertTrue(Http.JSON.readTree(again.body()).get("error").asText().contains("not found"), again.body());
	}

	@Test
	void anInterruptedDownloadResumesWhereItStopped() throws Exception {
		hub.cutNextDownloadAfter(resume.length / 2);
		String first = last(pull("acme/Resume-GGUF"));
		assertTrue(first.startsWith("error:"), first);
		Path partial = models.resolve("hf.co/acme/Resume-GGUF/Resume-Q4_K_M.gguf.partial");
		assertEquals(resume.length / 2, Files.size(partial));
		assertFalse(ids().contains("acme/Resume-GGUF"), "nothing half-downloaded is served");
		assertEquals("success", last(pull("acme/Resume-GGUF")));
		assertEquals("bytes=" + (resume.length / 2) + "-", hub.ranges().get(hub.ranges().size() - 1));
		assertFalse(Files.exists(partial));
		byte[] got = Files.readAllBytes(models.resolve("hf.co/acme/Resume-GGUF/Resume-Q4_K_M.gguf"));
		assertEquals(FakeHub.sha256(resume), FakeHub.sha256(got));
	}

	@Test
	void corruptBytesAreRefusedAndNotKept() throws Exception {
		byte[] bad = corrupt.clone();
		bad[bad.length / 2] ^= 1;
		hub.corrupt("acme/Corrupt-GGUF", "Corrupt-Q4_K_M.gguf", bad);
		String result = last(pull("acme/Corrupt-GGUF"));
		assertTrue(result.contains("sha256") && result.contains("deleted"), result);
		Path dir = models.resolve("hf.co/acme/Corrupt-GGUF");
		assertFalse(Files.exists(dir.resolve("Corrupt-Q4_K_M.gguf")));
		assertFalse(Files.exists(dir.resolve("Corrupt-Q4_K_M.gguf.partial")));
		assertFalse(ids().contains("acme/Corrupt-GGUF"));
	}

	@Test
	void gatedRepositoriesNeedTheirToken() throws Exception {
		assertEquals("success", last(pull("acme/Gated-GGUF")), "HF_TOKEN is sent");
		// refused before anything is downloaded: the HTTP status says so
		List<JsonNode> refused = pull("acme/Other-GGUF");
		assertTrue(last(refused).contains("has no access to acme/Other-GGUF"), last(refused));
		assertEquals(403, refused.get(refused.size() - 1).path("status_code").asInt(), refused.toString());
		assertEquals(1, refused.size(), refused.toString());
	}

	@Test
	void twoPullsOfOneFileShareOneDownload() throws Exception {
		CompletableFuture<List<JsonNode>> a = CompletableFuture.supplyAsync(() -> quietly("acme/Shared-GGUF"));
		CompletableFuture<List<JsonNode>> b = CompletableFuture.supplyAsync(() -> quietly("acme/Shared-GGUF"));
		assertEquals("success", last(a.get(60, TimeUnit.SECONDS)));
		assertEquals("success", last(b.get(60, TimeUnit.SECONDS)));
		String blob = "GET /blobs/" + FakeHub.sha256(shared);
		assertEquals(1, hub.requests().stream().filter(blob::equals).count(), "one download for both pulls");
	}

	private static List<JsonNode> quietly(String ref) {
		try {
			return pull(ref);
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	@Test
	void aClientThatHangsUpStopsTheDownloadAndALaterPullResumesIt() throws Exception {
		hub.throttle(cancel.length / 20); // about 20 s for the whole file
		URI base = URI.create(runtime.base());
		byte[] body = "{\"model\":\"acme/Cancel-GGUF\"}".getBytes(StandardCharsets.UTF_8);
		Path partial = models.resolve("hf.co/acme/Cancel-GGUF/Cancel-Q4_K_M.gguf.partial");
		try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
			socket.getOutputStream().write(("POST /api/pull HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: "
					+ "application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().write(body);
			socket.getOutputStream().flush();
			// progress comes while the file trickles in
			long deadline = System.nanoTime() + 20_000_000_000L;
			while (!Files.exists(partial) || Files.size(partial) == 0) {
				assertTrue(System.nanoTime() < deadline, "the download started");
				Thread.sleep(100);
			}
			assertTrue(socket.getInputStream().read(new byte[512]) > 0);
		} // the client hangs up
		hub.throttle(-1);
		Thread.sleep(3000);
		long stopped = Files.size(partial);
		Thread.sleep(1500);
		assertEquals(stopped, Files.size(partial), "the download stopped when its client left");
		assertTrue(stopped < cancel.length, stopped + " of " + cancel.length);
		assertEquals("success", last(pull("acme/Cancel-GGUF")));
		assertTrue(hub.ranges().get(hub.ranges().size() - 1).startsWith("bytes="), "resumed: " + hub.ranges());
		assertEquals(FakeHub.sha256(cancel), FakeHub.sha256(Files.readAllBytes(
				models.resolve("hf.co/acme/Cancel-GGUF/Cancel-Q4_K_M.gguf"))));
	}

	@Test
	void everyPartOfASplitModelIsPulled() throws Exception {
		assertEquals("success", last(pull("hf.co/acme/Split-GGUF:Q4_K_M")));
		Path dir = models.resolve("hf.co/acme/Split-GGUF");
		assertTrue(Files.exists(dir.resolve("Big-Q4_K_M-00001-of-00002.gguf")));
		assertTrue(Files.exists(dir.resolve("Big-Q4_K_M-00002-of-00002.gguf")));
	}

	@Test
	void pullOnDemandFetchesAnUnknownHubModelOnItsFirstRequest() throws Exception {
		JsonNode chat = http.postOk("/v1/chat/completions", "{\"model\":\"hf.co/acme/Demand-GGUF\",\"max_tokens\":2,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		assertEquals("hf.co/acme/Demand-GGUF", chat.get("model").asText());
		assertTrue(ids().contains("hf.co/acme/Demand-GGUF"));
	}

	@Test
	void theConsolePullsWithProgress() throws Exception {
		HttpResponse<String> started = http.postAs("/system/console/airuntime/pull?provider=llama_cpp&model="
				+ java.net.URLEncoder.encode("hf.co/acme/Console-GGUF", StandardCharsets.UTF_8), "admin", "pull-console");
		assertEquals(200, started.statusCode(), started.body());
		long deadline = System.nanoTime() + 60_000_000_000L;
		JsonNode job;
		do {
			assertTrue(System.nanoTime() < deadline, "the console's pull ends");
			Thread.sleep(200);
			JsonNode status = Http.JSON.readTree(http.get("/system/console/airuntime/status.json", "admin", "pull-console").body());
			job = null;
			for (JsonNode j : status.get("pulls")) {
				if (j.get("model").asText().equals("hf.co/acme/Console-GGUF")) {
					job = j;
				}
			}
		} while (job == null || !job.get("done").asBoolean());
		assertEquals("success", job.get("status").asText(), job.toString());
		assertFalse(job.has("error"), job.toString());
		assertTrue(job.get("total").asLong() > 0 || job.get("status").asText().equals("success"));
		assertTrue(ids().contains("hf.co/acme/Console-GGUF"));
	}

	@Test
	void theCommandLinePullsThroughTheRunningRuntime() throws Exception {
		Path script = Path.of(System.getProperty("repo.root"), "bin/local-ai-runtime");
		ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "pull", "hf.co/acme/Tiny-GGUF:Q8_0")
				.redirectErrorStream(true);
		pb.environment().put("RUNTIME_URL", runtime.base());
		Process p = pb.start();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		p.getInputStream().transferTo(out);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		String text = out.toString(StandardCharsets.UTF_8);
		assertEquals(0, p.exitValue(), text);
		assertTrue(text.contains("pulling manifest") && text.contains("100%") && text.contains("success"), text);
		assertTrue(ids().contains("hf.co/acme/Tiny-GGUF:Q8_0"));
		ProcessBuilder wrong = new ProcessBuilder("bash", script.toString(), "pull", "acme/Tiny-GGUF:Q2_K")
				.redirectErrorStream(true);
		wrong.environment().put("RUNTIME_URL", runtime.base());
		Process w = wrong.start();
		String err = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(w.waitFor(60, TimeUnit.SECONDS));
		assertEquals(1, w.exitValue(), err);
		assertTrue(err.contains("no Q2_K"), err);
		assertFalse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(runtime.base() + "/health")).build(),
				HttpResponse.BodyHandlers.ofString()).body().isEmpty());
	}
}
