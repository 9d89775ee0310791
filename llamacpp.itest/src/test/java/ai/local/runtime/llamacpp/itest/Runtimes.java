package ai.local.runtime.llamacpp.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.local.runtime.testing.process.RuntimeProcess;

/** bin/local-ai-runtime with the built provider bundles in deploy/, in a home of its own per test class. */
final class Runtimes {
	private Runtimes() {
	}

	/** @param name what tells this runtime's home apart ({@code runtime.home}-NAME) */
	static RuntimeProcess start(String name, Map<String, String> env) throws Exception {
		List<Path> jars;
		try (Stream<Path> s = Files.list(Path.of(System.getProperty("repo.root")).resolve("launcher/target/providers"))) {
			jars = s.filter(p -> p.toString().endsWith(".jar")).toList();
		}
		return RuntimeProcess.start(env, jars, Path.of(System.getProperty("runtime.home") + "-" + name), true);
	}
}
