package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIndexTest {

	@Test
	void idsAreDirectoriesRelativeToTheRoot(@TempDir Path root) throws Exception {
		for (String f : List.of("qwen/qwen2.5-7b/model-q4.gguf", "qwen/qwen2.5-7b/mmproj-f16.gguf",
				"llama/big/big-00001-of-00002.gguf", "llama/big/big-00002-of-00002.gguf", "solo.gguf",
				"two/a.gguf", "two/b.gguf", "notes/readme.txt")) {
			Files.createDirectories(root.resolve(f).getParent());
			Files.writeString(root.resolve(f), "GGUF");
		}
		ModelIndex index = ModelIndex.scan(root);
		assertEquals(List.of("llama/big", "qwen/qwen2.5-7b", "solo", "two/a", "two/b"), index.ids());
		assertEquals(root.resolve("llama/big/big-00001-of-00002.gguf"), index.file("llama/big"));
		assertEquals(List.of("model-q4"), ModelIndex.scan(root.resolve("qwen/qwen2.5-7b/model-q4.gguf")).ids());
		assertEquals(List.of(), ModelIndex.scan(root.resolve("missing")).ids());
	}
}
