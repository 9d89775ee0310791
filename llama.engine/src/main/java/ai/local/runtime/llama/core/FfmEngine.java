package ai.local.runtime.llama.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.llama.ffm.Llama;
import ai.local.runtime.llama.ffm.NativeLlama;
import ai.local.runtime.llamacpp.engine.LlamaEngine;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;

/**
 * Waits for the llama.native bundle of this platform, copies its libraries into this bundle's data area (once:
 * a library in use is never overwritten), loads them, and registers the {@link LlamaEngine} service.
 */
@Component(immediate = true)
public class FfmEngine {
	private static final Logger LOG = LoggerFactory.getLogger(FfmEngine.class);
	private static final Logger NATIVE_LOG = LoggerFactory.getLogger("llama.cpp");
	static final String PLATFORM_HEADER = "Llama-Native-Platform";
	static final String RELEASE_HEADER = "Llama-Native-Release";

	private final BundleContext context;
	private final BundleTracker<Bundle> natives;
	private ServiceRegistration<LlamaEngine> registration;

	@Activate
	public FfmEngine(BundleContext context) {
		this.context = context;
		NativeLlama.logTo(FfmEngine::log);
		String platform = platform();
		natives = new BundleTracker<>(context, Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE, null) {
			@Override
			public Bundle addingBundle(Bundle bundle, BundleEvent event) {
				if (!platform.equals(bundle.getHeaders().get(PLATFORM_HEADER))) {
					return null;
				}
				offer(bundle, platform);
				return bundle;
			}
		};
		natives.open();
		if (registration == null) {
			LOG.info("llama.cpp engine: waiting for the bundle llama.native.{} (deploy/llama.native.{}.jar)", platform,
					platform);
		}
	}

	@Deactivate
	void deactivate() {
		natives.close();
		synchronized (this) {
			if (registration != null) {
				registration.unregister();
				registration = null;
			}
		}
	}

	private synchronized void offer(Bundle bundle, String platform) {
		if (registration != null) {
			return;
		}
		String release = bundle.getHeaders().get(RELEASE_HEADER);
		try {
			Path dir = extract(bundle, platform, release);
			NativeLlama llama = NativeLlama.open(dir, release);
			Path classes = ProbeClasses.copy(context.getBundle(), dir.resolveSibling("probe-classes"));
			Engine engine = new Engine(llama, new ModelProbe(dir, release, classes));
			registration = context.registerService(LlamaEngine.class, engine, null);
			LOG.info("llama.cpp engine: {} (devices: {}; {}: {})", engine.library(), String.join(", ", engine.devices()),
					bundle.getSymbolicName(), bundle.getHeaders().get("Llama-Native-Build"));
		} catch (IOException | RuntimeException | LinkageError e) {
			LOG.error("llama.cpp engine: cannot load llama.cpp {} from {}: {}", release, bundle.getSymbolicName(),
					e.toString());
		}
	}

	/**
	 * The libraries of the bundle in this bundle's data area, in a directory per release and bundle version:
	 * never written over (a library in use is mapped), and a bundle replaced while the runtime runs lands in a new
	 * directory, which {@link NativeLlama#open} refuses until the next start. Directories of earlier versions go at
	 * the first start that loads none of them.
	 */
	private Path extract(Bundle bundle, String platform, String release) throws IOException {
		Path root = Files.createDirectories(context.getDataFile("native").toPath());
		Path dir = root.resolve(release + "-" + platform + "-" + bundle.getLastModified());
		List<URL> entries = new ArrayList<>();
		// *.so*: a bundle built from source names the ggml libraries by their SONAMEs (libggml.so.0 ...)
		Enumeration<URL> e = bundle.findEntries("native/" + platform, "*.so*", false);
		if (e != null) {
			entries.addAll(Collections.list(e));
		}
		if (entries.isEmpty()) {
			throw new IOException(bundle.getSymbolicName() + " holds no libraries under native/" + platform);
		}
		if (!NativeLlama.loadedHere()) {
			try (var old = Files.list(root)) {
				for (Path p : old.filter(p -> !p.equals(dir) && !p.getFileName().toString().startsWith("probe-")).toList()) {
					deleteTree(p);
				}
			}
		}
		if (Files.isDirectory(dir) && entries.stream().allMatch(u -> Files.exists(dir.resolve(fileName(u))))) {
			return dir;
		}
		Path tmp = Files.createTempDirectory(root, "unpack-");
		for (URL u : entries) {
			try (InputStream in = u.openStream()) {
				Files.copy(in, tmp.resolve(fileName(u)), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		if (Files.exists(dir)) {
			deleteTree(dir); // an incomplete copy: nothing loaded it
		}
		Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
		return dir;
	}

	private static void deleteTree(Path dir) throws IOException {
		try (var all = Files.walk(dir)) {
			all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
	}

	private static String fileName(URL u) {
		String p = u.getPath();
		return p.substring(p.lastIndexOf('/') + 1);
	}

	/** node-llama-cpp's platform names: linux-x64, linux-arm64, win-x64, mac-arm64 ... */
	static String platform() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		String o = os.contains("win") ? "win" : os.contains("mac") ? "mac" : "linux";
		String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "arm64" : arch;
		return o + "-" + a;
	}

	private static void log(int level, String text) {
		if (text == null) {
			return;
		}
		String line = text.stripTrailing();
		if (line.isEmpty()) {
			return;
		}
		switch (level) {
		case Llama.LOG_ERROR -> NATIVE_LOG.error(line);
		case Llama.LOG_WARN -> NATIVE_LOG.warn(line);
		case Llama.LOG_INFO -> NATIVE_LOG.debug(line);
		default -> NATIVE_LOG.trace(line);
		}
	}

	/** The service: loads models (each first probed in a child process) and converts schemas to grammars. */
	static final class Engine implements LlamaEngine {
		private final NativeLlama llama;
		private final ModelProbe probe;

		Engine(NativeLlama llama, ModelProbe probe) {
			this.llama = llama;
			this.probe = probe;
		}

		@Override
		public String variant() {
			for (String d : llama.api.devices()) {
				if (!d.startsWith("CPU")) {
					return d.substring(0, d.indexOf(':')).replaceAll("[0-9]+$", "").toLowerCase(Locale.ROOT);
				}
			}
			return "cpu";
		}

		@Override
		public String library() {
			return "llama.cpp " + llama.release + " from " + llama.dir;
		}

		@Override
		public List<String> devices() {
			return llama.api.devices();
		}

		@Override
		public LlamaModelHandle load(LoadSpec spec) {
			ModelProbe.checkGguf(spec.file());
			probe.check(spec.file());
			return new FfmModel(llama, spec);
		}

		@Override
		public String grammarOf(String jsonSchema) {
			return JsonSchemaGrammar.of(jsonSchema);
		}
	}
}
