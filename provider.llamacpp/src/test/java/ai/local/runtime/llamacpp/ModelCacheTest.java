package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaEngine;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;
import ai.local.runtime.testing.gguf.TinyLlama;

class ModelCacheTest {

	@Test
	void aModelTheGpuCannotHoldIsA503BeforeItLoads(@TempDir Path dir) throws Exception {
		Path file = TinyLlama.tiny("gpu", 1).write(dir.resolve("gpu.gguf"));
		boolean[] loaded = { false };
		LlamaEngine engine = new LlamaEngine() {
			@Override
			public String variant() {
				return "cuda";
			}

			@Override
			public java.util.List<String> devices() {
				return java.util.List.of("CUDA0: a small GPU");
			}

			@Override
			public java.util.List<ai.local.runtime.llamacpp.engine.DeviceMemory> deviceMemory() {
				return java.util.List.of(new ai.local.runtime.llamacpp.engine.DeviceMemory("CUDA0", true, 1L << 30, 2L << 30));
			}

			@Override
			public String library() {
				return "none";
			}

			@Override
			public LlamaModelHandle load(LoadSpec spec) {
				loaded[0] = true;
				throw new IllegalArgumentException("not reached");
			}

			@Override
			public String grammarOf(String jsonSchema) {
				throw new UnsupportedOperationException();
			}
		};
		ModelCache cache = new ModelCache(engine, 2, null, Set.of(), LlamaCppProvider.newLoader());
		// 3 GB of weights, all layers on the GPU: more than its 1 GB free
		MemoryEstimate memory = new MemoryEstimate(3L << 30, 1L << 20, 1L << 20, 1.0, true);
		ai.local.runtime.api.ApiException e = org.junit.jupiter.api.Assertions.assertThrows(
				ai.local.runtime.api.ApiException.class, () -> cache.acquire("gpu", file, false,
						new LoadSpec(file, 512, 1, 512, 512, 1, 999, true, LoadSpec.FlashAttention.AUTO, null),
						sp -> new SlotPool(1, 1, 1), java.time.Duration.ofSeconds(5), memory));
		org.junit.jupiter.api.Assertions.assertEquals(503, e.status());
		org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("of GPU memory") && e.getMessage().contains("1.07 GB are free"),
				e.getMessage());
		org.junit.jupiter.api.Assertions.assertFalse(loaded[0], "refused before llama.cpp tries");
		cache.retireAll();
	}


	@Test
	void aSlowLoadDoesNotHoldUpAnotherModel(@TempDir Path dir) throws Exception {
		Path slow = TinyLlama.tiny("slow", 1).write(dir.resolve("slow.gguf"));
		Path quick = TinyLlama.tiny("quick", 2).write(dir.resolve("quick.gguf"));
		CountDownLatch slowMayFinish = new CountDownLatch(1);
		LlamaEngine engine = new LlamaEngine() {
			@Override
			public String variant() {
				return "test";
			}

			@Override
			public java.util.List<String> devices() {
				return java.util.List.of();
			}

			@Override
			public String library() {
				return "none";
			}

			@Override
			public LlamaModelHandle load(LoadSpec spec) {
				if (spec.file().equals(slow)) {
					try {
						slowMayFinish.await(); // a template that loops, a huge file on a slow disk
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
				}
				return new Handle();
			}

			@Override
			public String grammarOf(String jsonSchema) {
				throw new UnsupportedOperationException();
			}
		};
		ExecutorService loader = LlamaCppProvider.newLoader(); // the provider's own loader
		ModelCache cache = new ModelCache(engine, 4, null, Set.of(), loader);
		CompletableFuture<LoadedModel> first = CompletableFuture.supplyAsync(
				() -> cache.acquire("slow", slow, false, spec(slow), s -> new SlotPool(1, 1, 1), Duration.ofSeconds(30)));
		Thread.sleep(200); // its load has started and hangs
		LoadedModel other = cache.acquire("quick", quick, false, spec(quick), s -> new SlotPool(1, 1, 1),
				Duration.ofSeconds(5));
		assertEquals("quick", other.id());
		slowMayFinish.countDown();
		assertEquals("slow", first.get(10, TimeUnit.SECONDS).id());
		loader.shutdownNow();
	}

	private static LoadSpec spec(Path file) {
		return new LoadSpec(file, 512, 1, 512, 512, 1, 0, true, LoadSpec.FlashAttention.AUTO, null);
	}

	private static final class Handle implements LlamaModelHandle {
		@Override
		public ai.local.runtime.llamacpp.engine.ModelInfo info() {
			return new ai.local.runtime.llamacpp.engine.ModelInfo("llama", "", "", 0, 0, "", 512, 512, 64, 10, "", "", "", false);
		}

		@Override
		public int[] tokenize(String text, boolean prompt) {
			return new int[0];
		}

		@Override
		public String detokenize(int[] tokens) {
			return "";
		}

		@Override
		public String renderBuiltin(String template, java.util.List<String[]> turns, boolean addAssistant) {
			return null;
		}

		@Override
		public Generation generate(ai.local.runtime.llamacpp.engine.GenerateSpec spec) {
			throw new UnsupportedOperationException();
		}

		@Override
		public float[] embed(int[] tokens) {
			return new float[0];
		}

		@Override
		public void close() {
		}
	}
}
