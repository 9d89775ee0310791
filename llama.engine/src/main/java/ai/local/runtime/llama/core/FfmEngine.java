package ai.local.runtime.llama.core;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
import ai.local.runtime.llamacpp.engine.DeviceMemory;
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
	/** A GPU backend bundle names its ggml backend (e.g. cuda: it carries libggml-cuda.so). */
	static final String BACKEND_HEADER = "Llama-Native-Backend";
	private static final long BACKEND_DRAIN_MILLIS = 60_000;

	private final BundleContext context;
	private final BundleTracker<Bundle> natives;
	private final Map<Bundle, MemorySegment> backends = new LinkedHashMap<>();
	private final List<Bundle> waitingBackends = new ArrayList<>();
	private NativeLlama llama;
	private ModelProbe probe;
	private ServiceRegistration<LlamaEngine> registration;

	@Activate
	public FfmEngine(BundleContext context) {
		this.context = context;
		NativeLlama.logTo(FfmEngine::log);
		String platform = platform();
		// STOPPING too: a bundle stopped with the framework stays what it is (a backend is withdrawn only when uninstalled)
		natives = new BundleTracker<>(context, Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING, null) {
			@Override
			public Bundle addingBundle(Bundle bundle, BundleEvent event) {
				if (!platform.equals(bundle.getHeaders().get(PLATFORM_HEADER))) {
					return null;
				}
				if (bundle.getHeaders().get(BACKEND_HEADER) != null) {
					offerBackend(bundle, platform);
				} else {
					offer(bundle, platform);
				}
				return bundle;
			}

			@Override
			public void removedBundle(Bundle bundle, BundleEvent event, Bundle object) {
				if (bundle.getHeaders().get(BACKEND_HEADER) != null) {
					withdrawBackend(bundle);
				}
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
		String release = bundle.getHeaders().get(RELEASE_HEADER);
		if (llama != null) {
			LOG.warn("llama.cpp engine: {} (llama.cpp {}) arrived while llama.cpp {} from {} is loaded; it is used after "
					+ "the runtime restarts", bundle.getSymbolicName(), release, llama.release, llama.dir);
			return;
		}
		try {
			Path dir = extract(bundle, platform, release);
			llama = NativeLlama.open(dir, release);
			probe = new ModelProbe(dir, release, ProbeClasses.copy(context.getBundle(), dir.resolveSibling("probe-classes")));
			register();
			LOG.info("llama.cpp engine: llama.cpp {} from {} (devices: {}; {}: {})", release, llama.dir,
					String.join(", ", llama.api.devices()), bundle.getSymbolicName(), bundle.getHeaders().get("Llama-Native-Build"));
		} catch (IOException | RuntimeException | LinkageError e) {
			LOG.error("llama.cpp engine: cannot load llama.cpp {} from {}: {}", release, bundle.getSymbolicName(),
					e.toString());
			return;
		}
		List<Bundle> waiting = List.copyOf(waitingBackends);
		waitingBackends.clear();
		waiting.forEach(b -> offerBackend(b, platform));
	}

	/**
	 * Loads a GPU backend (ggml_backend_load) into the running llama.cpp and registers the engine anew, so that
	 * the provider loads its models again, now offloaded to the GPU. A backend that cannot be loaded (no GPU, a
	 * missing driver or CUDA runtime) leaves everything on the CPU, with the reason in the llama.cpp log.
	 */
	private synchronized void offerBackend(Bundle bundle, String platform) {
		if (llama == null) {
			waitingBackends.add(bundle);
			return;
		}
		String name = bundle.getHeaders().get(BACKEND_HEADER);
		String release = bundle.getHeaders().get(RELEASE_HEADER);
		if (!llama.release.equals(release)) {
			LOG.warn("llama.cpp engine: {} is for llama.cpp {}, but {} is loaded; ignoring it", bundle.getSymbolicName(),
					release, llama.release);
			return;
		}
		try {
			Path dir = extract(bundle, platform + "-" + name, platform, release);
			MemorySegment reg;
			try (Arena a = Arena.ofConfined()) {
				reg = llama.api.ptr(llama.api.ggml_backend_load, a.allocateFrom(dir.resolve("libggml-" + name + ".so").toString()));
			}
			if (reg.equals(MemorySegment.NULL)) {
				LOG.warn("llama.cpp engine: the {} backend of {} cannot be loaded (see the llama.cpp log above: no such "
						+ "GPU, or its driver or runtime libraries are missing); models stay on the CPU", name,
						bundle.getSymbolicName());
				return;
			}
			backends.put(bundle, reg);
			register();
			LOG.info("llama.cpp engine: {} backend loaded (devices: {}); models load again with it",
					name, String.join(", ", llama.api.devices()));
		} catch (IOException | RuntimeException | LinkageError e) {
			LOG.error("llama.cpp engine: cannot load the {} backend of {}: {}", name, bundle.getSymbolicName(), e.toString());
		}
	}

	/**
	 * Takes a GPU backend out: the engine is withdrawn, so that the provider closes its models (running requests
	 * finish first), then the backend is unloaded and the engine registered again for the CPU. A backend still in
	 * use after {@link #BACKEND_DRAIN_MILLIS} stays loaded: unloading it under a model would crash the process.
	 */
	private synchronized void withdrawBackend(Bundle bundle) {
		waitingBackends.remove(bundle);
		MemorySegment reg = backends.remove(bundle);
		if (reg == null) {
			return;
		}
		if (registration != null) {
			registration.unregister();
			registration = null;
		}
		long deadline = System.currentTimeMillis() + BACKEND_DRAIN_MILLIS;
		while (llama.openModels.get() > 0 && System.currentTimeMillis() < deadline) {
			try {
				Thread.sleep(100);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (llama.openModels.get() == 0) {
			llama.api.invoke(llama.api.ggml_backend_unload, reg);
			LOG.info("llama.cpp engine: {} backend unloaded; models load on the CPU", bundle.getHeaders().get(BACKEND_HEADER));
		} else {
			LOG.warn("llama.cpp engine: {} models still open after {} s; the {} backend stays loaded until the restart",
					llama.openModels.get(), BACKEND_DRAIN_MILLIS / 1000, bundle.getHeaders().get(BACKEND_HEADER));
		}
		register();
	}

	/** (Re)registers the engine service: a new registration makes the provider load its models again. */
	private void register() {
		if (registration != null) {
			registration.unregister();
		}
		registration = context.registerService(LlamaEngine.class, new Engine(llama, probe), null);
	}

	/**
	 * The libraries of the bundle in this bundle's data area, in a directory per release and bundle version:
	 * never written over (a library in use is mapped), and a bundle replaced while the runtime runs lands in a new
	 * directory, which {@link NativeLlama#open} refuses until the next start. Directories of earlier versions go
	 * when a process that has loaded nothing yet unpacks its libraries.
	 */
	private Path extract(Bundle bundle, String platform, String release) throws IOException {
		return extract(bundle, platform, platform, release);
	}

	/** {@code kind}: the directory's name part (the platform, or platform and backend); {@code platform}: the folder in the bundle. */
	private Path extract(Bundle bundle, String kind, String platform, String release) throws IOException {
		Path root = Files.createDirectories(context.getDataFile("native").toPath());
		Path dir = root.resolve(release + "-" + kind + "-" + bundle.getLastModified());
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
			// nothing of it is mapped yet: earlier versions go (a backend's is unpacked again when it is offered)
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
		public List<DeviceMemory> deviceMemory() {
			return llama.api.deviceMemory();
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
