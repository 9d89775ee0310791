package ai.local.runtime.llamacpp.jni;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a model file once in a short-lived child JVM before the runtime loads it in-process: whatever makes
 * llama.cpp abort (a corrupt vocabulary, a template its parser chokes on) then ends the child, and the file is
 * refused with the reason, instead of taking the runtime and every stream on every provider down with it. A load
 * that takes longer than {@link #TIMEOUT_SECONDS} (a template that loops) is stopped and refused as well, and on
 * Linux the child's address space is bounded (prlimit), so such a load cannot take the machine's memory. The
 * verdict is kept per file, size and modification time, so each file version is probed once.
 */
final class ModelProbe {
	static final long TIMEOUT_SECONDS = 120;
	/** Address space for the child besides twice the model file (Linux, where prlimit exists). */
	static final long MEMORY_BASE = 3L << 30;
	private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
	private static final Logger LOG = LoggerFactory.getLogger(ModelProbe.class);

	private record Version(Path file, long size, long modified) {
	}

	private final Path libraryDir;
	private final Path classes;
	private final Map<Version, CompletableFuture<String>> verdicts = new ConcurrentHashMap<>();

	/** Copies the classes the child needs (this bundle's java-llama.cpp and the probe) next to the library. */
	ModelProbe(Bundle bundle, Path library) throws IOException {
		this.libraryDir = library.getParent();
		this.classes = libraryDir.resolve("probe-classes");
		copy(bundle, "de/kherud/llama");
		copy(bundle, "ai/local/runtime/llamacpp/jni");
	}

	/** Returns when the file loads in a child; throws IllegalArgumentException with the reason otherwise. */
	void check(Path file, int contextSize) {
		Version v;
		try {
			v = new Version(file.toAbsolutePath().normalize(), Files.size(file), Files.getLastModifiedTime(file).toMillis());
		} catch (IOException e) {
			throw new IllegalArgumentException("cannot read it: " + e.getMessage(), e);
		}
		CompletableFuture<String> mine = new CompletableFuture<>();
		CompletableFuture<String> probing = verdicts.putIfAbsent(v, mine);
		if (probing == null) {
			mine.complete(run(v, contextSize)); // other files are probed meanwhile, in their own threads
			probing = mine;
		}
		String verdict = probing.join();
		if (!verdict.isEmpty()) {
			throw new IllegalArgumentException(verdict);
		}
	}

	/** "" when the child loaded the file, else why not. */
	private String run(Version v, int contextSize) {
		Path file = v.file();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>();
		if (Files.isExecutable(PRLIMIT)) {
			// bounded in memory too: the file mapped, the JVM, and room for the load; beyond that allocations fail
			// and the child ends (a template whose parsing loops was seen growing to 4.4 GB)
			command.addAll(List.of(PRLIMIT.toString(), "--as=" + (MEMORY_BASE + 2 * v.size()), "--"));
		}
		command.addAll(List.of(java, "-Xmx128m", "-Xss1m", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m",
				"-XX:CompressedClassSpaceSize=64m", "-cp", classes.toString(), Probe.class.getName(),
				libraryDir.toString(), file.toString(), Integer.toString(Math.min(contextSize, 512))));
		long start = System.nanoTime();
		try {
			Path output = Files.createTempFile(libraryDir, "probe-", ".log");
			try {
				ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
				pb.environment().put("MALLOC_ARENA_MAX", "2"); // glibc reserves 64 MB of address space per arena
				Process p = pb.start();
				if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
					return "llama.cpp did not finish loading it within " + TIMEOUT_SECONDS + " s (stopped)";
				}
				if (p.exitValue() == 0) {
					LOG.info("probed {}: llama.cpp loads it ({} ms)", file,
							TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
					return "";
				}
				String reason = reason(Files.readAllLines(output, StandardCharsets.UTF_8));
				LOG.error("probed {}: llama.cpp fails on it (exit {}): {}", file, p.exitValue(), reason);
				return "llama.cpp " + (p.exitValue() > 128 ? "aborts" : "fails") + " loading it (exit " + p.exitValue()
						+ ")" + (reason.isEmpty() ? "" : ": " + reason);
			} finally {
				Files.deleteIfExists(output);
			}
		} catch (IOException e) {
			LOG.warn("cannot probe {} in a child process ({}); loading it in-process", file, e.toString());
			return "";
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return "interrupted while probing it";
		}
	}

	/** The lines that say what went wrong, from the end of the child's output. */
	static String reason(List<String> lines) {
		List<String> found = new ArrayList<>();
		for (String line : lines) {
			String l = line.strip();
			if (l.contains("GGML_ASSERT") || l.contains("error") || l.contains("terminate called")
					|| l.contains("what():") || l.contains("Exception")) {
				found.add(l.length() > 300 ? l.substring(0, 300) + "..." : l);
			}
		}
		return String.join(" | ", found.subList(Math.max(0, found.size() - 3), found.size()));
	}

	private void copy(Bundle bundle, String folder) throws IOException {
		Enumeration<URL> entries = bundle.findEntries(folder, "*.class", true);
		while (entries != null && entries.hasMoreElements()) {
			URL entry = entries.nextElement();
			Path target = classes.resolve(entry.getPath().replaceFirst("^/", ""));
			Files.createDirectories(target.getParent());
			try (InputStream in = entry.openStream(); OutputStream out = Files.newOutputStream(target)) {
				in.transferTo(out);
			}
		}
	}
}
