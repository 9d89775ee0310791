package ai.local.runtime.llamacpp.itest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import ai.local.runtime.testing.process.BundleJars;

/**
 * Another native variant made from the CPU bundle, the way a user packages a GPU library: same classes, its
 * own symbolic name, variant name and priority.
 */
final class VariantJar {
	private VariantJar() {
	}

	static Path of(Path cpuJar, Path target, String variant, int priority) throws IOException {
		return BundleJars.withHeaders(cpuJar, target, Map.of("Bundle-SymbolicName", "provider.llamacpp." + variant,
				"Llama-Variant", variant, "Llama-Priority", Integer.toString(priority)));
	}
}
