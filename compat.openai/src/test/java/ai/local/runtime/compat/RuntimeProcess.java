package ai.local.runtime.compat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The runtime started as a user starts it: {@code bin/local-ai-runtime} in a fresh RUNTIME_HOME, with the
 * scripted provider dropped into deploy/ and made the default provider.
 */
final class RuntimeProcess implements AutoCloseable {
	final Path home;
	final int port;
	final long startToFirst200Millis;
	private final Process process;

	private RuntimeProcess(Path home, int port, Process process, long startMillis) {
		this.home = home;
		this.port = port;
		this.process = process;
		this.startToFirst200Millis = startMillis;
	}

	static RuntimeProcess start(Map<String, String> env) throws Exception {
		Path root = Path.of(System.getProperty("repo.root")).toRealPath();
		Path jar = root.resolve("launcher/target/launch.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException("build the launcher first: " + jar + " is missing");
		}
		Path home = Path.of(System.getProperty("runtime.home"));
		deleteTree(home);
		Files.createDirectories(home.resolve("deploy"));
		Files.copy(Path.of(System.getProperty("scripted.provider.jar")), home.resolve("deploy/test.provider.scripted.jar"));
		int port;
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/local-ai-runtime").toString())
				.directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("runtime.log").toFile());
		pb.environment().put("RUNTIME_HOME", home.toString());
		pb.environment().put("RUNTIME_LISTEN_PORT", Integer.toString(port));
		pb.environment().putAll(env);
		long t0 = System.nanoTime();
		Process p = pb.start();
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.currentTimeMillis() + 60_000;
		while (System.currentTimeMillis() < deadline) {
			if (!p.isAlive()) {
				throw new IllegalStateException("the runtime exited with " + p.exitValue() + ":\n" + log(home));
			}
			try {
				HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
						.timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
				if (r.statusCode() == 200) {
					return new RuntimeProcess(home, port, p, (System.nanoTime() - t0) / 1_000_000);
				}
			} catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(25);
		}
		p.destroyForcibly();
		throw new IllegalStateException("no 200 from /health within 60 s:\n" + log(home));
	}

	String base() {
		return "http://127.0.0.1:" + port;
	}

	static String log(Path home) {
		try {
			return Files.readString(home.resolve("runtime.log"));
		} catch (IOException e) {
			return "(no log: " + e + ")";
		}
	}

	void removeProvider() throws IOException {
		Files.move(home.resolve("deploy/test.provider.scripted.jar"), home.resolve("test.provider.scripted.jar"),
				StandardCopyOption.REPLACE_EXISTING);
	}

	void restoreProvider() throws IOException {
		Files.move(home.resolve("test.provider.scripted.jar"), home.resolve("deploy/test.provider.scripted.jar"));
	}

	@Override
	public void close() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		} catch (UncheckedIOException e) {
			throw e.getCause();
		}
	}
}
