package ai.local.runtime.llamacpp.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Another native variant made from the CPU bundle, the way a user packages a GPU library: same classes, its
 * own symbolic name, variant name and priority.
 */
final class VariantJar {

	private VariantJar() {
	}

	static Path of(Path cpuJar, Path target, String variant, int priority) throws IOException {
		try (JarInputStream in = new JarInputStream(Files.newInputStream(cpuJar))) {
			Manifest manifest = new Manifest(in.getManifest());
			Attributes main = manifest.getMainAttributes();
			main.putValue("Bundle-SymbolicName", "provider.llamacpp." + variant);
			main.putValue("Llama-Variant", variant);
			main.putValue("Llama-Priority", Integer.toString(priority));
			try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
				for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
					out.putNextEntry(new JarEntry(e.getName()));
					copy(in, out);
					out.closeEntry();
				}
			}
		}
		return target;
	}

	private static void copy(InputStream in, OutputStream out) throws IOException {
		in.transferTo(out);
	}
}
