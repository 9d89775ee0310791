package ai.local.runtime.llama.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.llama.ffm.Probe;

/**
 * Loads a model file once in a short-lived child JVM before the runtime loads it: whatever makes llama.cpp
 * abort (a corrupt vocabulary, an assertion on a malformed tensor) ends the child, and the file is refused with
 * the reason instead of taking the runtime down. A load slower than {@link #TIMEOUT_SECONDS} is stopped and
 * refused; on Linux the child's address space is bounded (prlimit). The verdict is kept per file version.
 */
final class ModelProbe {
	static final long TIMEOUT_SECONDS = 120;
	/** Address space for the child besides twice the model file (Linux, where prlimit exists). */
	static final long MEMORY_BASE = 3L << 30;
	private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
	private static final byte[] GGUF_MAGIC = { 'G', 'G', 'U', 'F' };
	private static final Logger LOG = LoggerFactory.getLogger(ModelProbe.class);

	private record Version(Path file, long size, long modified) {
	}

	private final Path libraryDir;
	private final String release;
	private final Path classes;
	private final Map<Version, CompletableFuture<String>> verdicts = new ConcurrentHashMap<>();

	ModelProbe(Path libraryDir, String release, Path classes) {
		this.libraryDir = libraryDir;
		this.release = release;
		this.classes = classes;
	}

	/** llama.cpp is given only files that start like a GGUF file. */
	static void checkGguf(Path file) {
		byte[] head = new byte[4];
		try (InputStream in = Files.newInputStream(file)) {
			if (in.readNBytes(head, 0, 4) != 4 || !Arrays.equals(head, GGUF_MAGIC)) {
				throw new IllegalArgumentException("not a GGUF file (it does not start with 'GGUF')");
			}
		} catch (IOException e) {
			throw new IllegalArgumentException("cannot read it: " + e.getMessage(), e);
		}
	}

	/** Returns when the file loads in a child; throws IllegalArgumentException with the reason otherwise. */
	void check(Path file) {
		Version v;
		try {
			v = new Version(file.toAbsolutePath().normalize(), Files.size(file), Files.getLastModifiedTime(file).toMillis());
		} catch (IOException e) {
			throw new IllegalArgumentException("cannot read it: " + e.getMessage(), e);
		}
		CompletableFuture<String> mine = new CompletableFuture<>();
		CompletableFuture<String> probing = verdicts.putIfAbsent(v, mine);
		if (probing == null) {
			mine.complete(run(v));
			probing = mine;
		}
		String verdict = probing.join();
		if (!verdict.isEmpty()) {
			throw new IllegalArgumentException(verdict);
		}
	}

	/** "" when the child loaded the file, else why not. */
	private String run(Version v) {
		Path file = v.file();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>();
		if (Files.isExecutable(PRLIMIT)) {
			command.addAll(List.of(PRLIMIT.toString(), "--as=" + (MEMORY_BASE + 2 * v.size()), "--"));
		}
		command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-Xss1m", "-XX:+UseSerialGC",
				"-XX:ReservedCodeCacheSize=32m", "-XX:CompressedClassSpaceSize=64m", "-XX:TieredStopAtLevel=1", "-cp",
				classes.toString(), Probe.class.getName(), libraryDir.toString(), release, file.toString()));
		long start = System.nanoTime();
		try {
			Path output = Files.createTempFile(classes, "probe-", ".log");
			try {
				ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
				pb.environment().put("MALLOC_ARENA_MAX", "2");
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
			if (l.contains("GGML_ASSERT") || l.contains("GGML_ABORT") || l.contains("error") || l.contains("aborts")
					|| l.contains("terminate called") || l.contains("what():") || l.contains("Exception")) {
				found.add(l.length() > 300 ? l.substring(0, 300) + "..." : l);
			}
		}
		return String.join(" | ", found.subList(Math.max(0, found.size() - 3), found.size()));
	}
}
