package ai.local.runtime.llama.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;

import org.osgi.framework.Bundle;

/** The binding's classes, copied out of the bundle for the probe's child JVM. */
final class ProbeClasses {

	private ProbeClasses() {
	}

	static Path copy(Bundle bundle, Path target) throws IOException {
		Enumeration<URL> entries = bundle.findEntries("ai/local/runtime/llama/ffm", "*.class", true);
		while (entries != null && entries.hasMoreElements()) {
			URL entry = entries.nextElement();
			Path file = target.resolve(entry.getPath().replaceFirst("^/", ""));
			Files.createDirectories(file.getParent());
			try (InputStream in = entry.openStream(); OutputStream out = Files.newOutputStream(file)) {
				in.transferTo(out);
			}
		}
		return target;
	}
}
