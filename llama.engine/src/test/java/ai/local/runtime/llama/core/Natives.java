package ai.local.runtime.llama.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import ai.local.runtime.llama.ffm.NativeLlama;

/** llama.cpp for the tests: the libraries of the built llama.native.linux-x64 jar, loaded once per test JVM. */
final class Natives {
	static final String RELEASE = "0.4.0";
	private static NativeLlama llama;

	private Natives() {
	}

	static synchronized NativeLlama get() throws IOException {
		if (llama == null) {
			Path dir = Path.of("target/native-test/linux-x64").toAbsolutePath();
			if (!Files.isDirectory(dir)) {
				Files.createDirectories(dir);
				try (JarFile jar = new JarFile(System.getProperty("llama.native.jar"))) {
					for (JarEntry e : java.util.Collections.list(jar.entries())) {
						if (e.getName().startsWith("native/linux-x64/") && e.getName().endsWith(".so")) {
							try (InputStream in = jar.getInputStream(e)) {
								Files.copy(in, dir.resolve(e.getName().substring(e.getName().lastIndexOf('/') + 1)),
										StandardCopyOption.REPLACE_EXISTING);
							}
						}
					}
				}
			}
			llama = NativeLlama.open(dir, RELEASE);
		}
		return llama;
	}

	static Path probeClasses() {
		return Path.of("target/classes").toAbsolutePath();
	}

	static FfmEngine.Engine engine() throws IOException {
		NativeLlama l = get();
		return new FfmEngine.Engine(l, new ModelProbe(l.dir, RELEASE, probeClasses()));
	}
}
