package ai.local.runtime.llamacpp.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * load.on.start loads the first model while the runtime starts, and the default model is ready soon after: the
 * C++ original's port once queued that load behind itself on a single loader thread and stood still for
 * queue.timeout.seconds (120 s).
 */
class LoadOnStartTest {

	@Test
	void theFirstModelIsLoadedAtStartAndReadyAtOnce() throws Exception {
		Path models = Path.of(System.getProperty("models.dir") + "-onstart");
		RuntimeProcess.deleteTree(models);
		TinyLlama.tiny("first", 1).write(models.resolve("first.gguf"));
		try (RuntimeProcess runtime = Runtimes.start("onstart", Map.of("LLAMA_CPP_MODEL", models.toString(),
				"LLAMA_CPP_LOAD_ON_START", "true", "LLAMA_CPP_N_THREADS", "2"))) {
			Http http = new Http(runtime.base());
			long t0 = System.nanoTime();
			int ready = 0;
			while (System.nanoTime() - t0 < 30_000_000_000L && (ready = http.get("/health/ready").statusCode()) != 200) {
				Thread.sleep(100);
			}
			assertEquals(200, ready, "the default model is ready within 30 s of start (queue.timeout.seconds is 120)");
			assertTrue(runtime.log().contains("loaded model 'first'"), "loaded at start, before any request");
			assertEquals(200, http.post("/v1/chat/completions",
					"{\"model\":\"first\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").statusCode());
		}
	}
}
