package ai.local.runtime.llamacpp.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * A model whose memory cannot fit is refused before llama.cpp tries to allocate it: with a context of 200 million
 * tokens the tiny model's KV cache alone is 51 GB, far beyond this machine (and llama.cpp would otherwise allocate
 * until the process dies). The runtime answers 503 naming the sizes and keeps serving.
 */
class MemoryFitTest {

	@Test
	void aModelThatCannotFitIsA503NamingTheSizes() throws Exception {
		Path models = Path.of(System.getProperty("models.dir") + "-memory");
		RuntimeProcess.deleteTree(models);
		TinyLlama.tiny("huge", 1).write(models.resolve("huge.gguf"));
		try (RuntimeProcess runtime = Runtimes.start("memory", Map.of("LLAMA_CPP_MODEL", models.toString(),
				"LLAMA_CPP_N_CTX", "200000000", "LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_THREADS", "2"))) {
			Http http = new Http(runtime.base());
			http.awaitReady();
			HttpResponse<String> r = http.post("/v1/chat/completions", "{\"model\":\"huge\",\"max_tokens\":2,"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
			assertEquals(503, r.statusCode(), r.body());
			assertTrue(r.body().contains("needs about 51.") && r.body().contains("KV cache 51.")
					&& r.body().contains("are available"), r.body());
			assertTrue(r.body().contains("insufficient_memory"), r.body());
			assertEquals(200, http.get("/health").statusCode());
		}
	}
}
