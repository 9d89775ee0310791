package ai.local.runtime.llama.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ai.local.runtime.llama.ffm.Structs;

/**
 * The binding's struct layouts against the C compiler's, for llama.h of the pinned release: a C program that
 * prints sizeof and offsetof of every member the Java layouts name, compiled with gcc, must print exactly the
 * lines the Java layouts give. A wrong offset would silently corrupt memory.
 */
class LayoutTest {

	@Test
	void javaLayoutsAreTheCompilersLayouts() throws Exception {
		Path src = Path.of(System.getProperty("llama.src"));
		List<String> java = Structs.layouts();
		StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"llama.h\"\n#include \"ggml.h\"\nint main(void) {\n");
		for (String line : java) {
			String[] parts = line.split(" ");
			if (parts[1].equals("size")) {
				c.append("printf(\"%s size %zu\\n\", \"").append(parts[0]).append("\", sizeof(struct ").append(parts[0]).append("));\n");
			} else {
				String struct = parts[0].substring(0, parts[0].indexOf('.'));
				String member = parts[0].substring(parts[0].indexOf('.') + 1);
				c.append("printf(\"%s %zu\\n\", \"").append(parts[0]).append("\", offsetof(struct ").append(struct)
						.append(", ").append(member).append("));\n");
			}
		}
		c.append("return 0;\n}\n");
		Path dir = Files.createDirectories(Path.of("target/layout-check"));
		Files.writeString(dir.resolve("layouts.c"), c);
		run(List.of("gcc", "-I", src.resolve("include").toString(), "-I", src.resolve("ggml/include").toString(),
				dir.resolve("layouts.c").toString(), "-o", dir.resolve("layouts").toString()));
		List<String> compiler = run(List.of(dir.resolve("layouts").toString()));
		assertEquals(String.join("\n", compiler), String.join("\n", java));
		assertEquals(9, java.stream().filter(l -> l.contains(" size ")).count(), "9 structs checked");
	}

	private static List<String> run(List<String> command) throws Exception {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor(60, TimeUnit.SECONDS);
		assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
		return out.lines().toList();
	}
}
