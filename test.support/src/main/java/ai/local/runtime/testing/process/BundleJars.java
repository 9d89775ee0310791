package ai.local.runtime.testing.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundle jars made from built ones, as a rebuilt or another variant of a bundle looks to the framework. */
public final class BundleJars {
	private BundleJars() {
	}

	/** Copies {@code jar} to {@code target} with {@code headers} set in its manifest (e.g. Bundle-Version). */
	public static Path withHeaders(Path jar, Path target, Map<String, String> headers) throws IOException {
		try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
			Manifest manifest = new Manifest(in.getManifest());
			Attributes main = manifest.getMainAttributes();
			headers.forEach(main::putValue);
			try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
				for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
					out.putNextEntry(new JarEntry(e.getName()));
					in.transferTo(out);
					out.closeEntry();
				}
			}
		}
		return target;
	}
}
