package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import ai.local.runtime.testing.gguf.TinyLlama;

/** The shape read from a GGUF header and the memory estimated from it. */
class MemoryEstimateTest {

	@Test
	void kvCacheAndWeightsFromTheHeader() throws Exception {
		Path file = TinyLlama.tiny("shape", 1).write(Path.of("target/memory/shape.gguf"));
		GgufHeader.Shape s = GgufHeader.of(file).shape();
		// tiny: 2 layers, 64 wide, 4 heads of 16, 2 KV heads
		assertEquals(2, s.layers());
		assertEquals(64, s.embd());
		assertEquals(4, s.kvHeadsTotal());
		assertEquals(16, s.keyLength());
		assertEquals(16, s.valueLength());
		assertTrue(s.vocab() > 256, "the vocabulary's size: " + s.vocab());
		MemoryEstimate m = MemoryEstimate.of(file, s, 4096, 512);
		assertEquals(Files.size(file), m.weights());
		// per token: 2 layers x 2 KV heads x (16 + 16) x 2 bytes (F16)
		assertEquals(4096L * 4 * 32 * 2, m.kvCache());
		assertTrue(m.compute() > 512L * s.vocab() * 4, m.describe());
		assertEquals(m.weights() + m.kvCache() + m.compute(), m.total());
	}

	@Test
	void aSplitModelWeighsAllItsParts() throws Exception {
		Path dir = Path.of("target/memory/split");
		Files.createDirectories(dir);
		Files.write(dir.resolve("m-00001-of-00002.gguf"), new byte[1000]);
		Files.write(dir.resolve("m-00002-of-00002.gguf"), new byte[234]);
		assertEquals(1234, MemoryEstimate.of(dir.resolve("m-00001-of-00002.gguf"), GgufHeader.Shape.NONE, 0, 0).weights());
	}

	@Test
	void theMemoryAvailableIsKnownOnLinux() {
		if (Files.exists(Path.of("/proc/meminfo"))) {
			assertTrue(MemoryEstimate.available() > 0);
		}
	}
}
