package ai.local.runtime.testing.process;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The runtime started as a user starts it: {@code bin/local-ai-runtime} in a fresh RUNTIME_HOME (system
 * property {@code runtime.home}) of the repository at {@code repo.root}, with the given bundles in deploy/.
 */
public final class RuntimeProcess implements AutoCloseable {
	public final Path home;
	public final int port;
	public final long startToFirst200Millis;
	private final Process process;

	private RuntimeProcess(Path home, int port, Process process, long startMillis) {
		this.home = home;
		this.port = port;
		this.process = process;
		this.startToFirst200Millis = startMillis;
	}

	public static RuntimeProcess start(Map<String, String> env, List<Path> deploy) throws Exception {
		return start(env, deploy, Path.of(System.getProperty("runtime.home")), true);
	}

	/**
	 * Starts the runtime in {@code home}; {@code fresh} empties it first, otherwise it starts again on what a
	 * previous run left there (conf/, data/, deploy/), as after a restart.
	 */
	public static RuntimeProcess start(Map<String, String> env, List<Path> deploy, Path home, boolean fresh)
			throws Exception {
		Path root = Path.of(System.getProperty("repo.root")).toRealPath();
		Path jar = root.resolve("launcher/target/launch.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException("build the launcher first: " + jar + " is missing");
		}
		if (fresh) {
			deleteTree(home);
		}
		Files.createDirectories(home.resolve("deploy"));
		for (Path bundle : deploy) {
			Files.copy(bundle, home.resolve("deploy").resolve(bundle.getFileName()), StandardCopyOption.REPLACE_EXISTING);
		}
		int port;
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/local-ai-runtime").toString())
				.directory(home.toFile()).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("runtime.log").toFile()));
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

	public String base() {
		return "http://127.0.0.1:" + port;
	}

	public static String log(Path home) {
		try {
			return Files.readString(home.resolve("runtime.log"));
		} catch (IOException e) {
			return "(no log: " + e + ")";
		}
	}

	/** Takes a bundle out of deploy/ (FileInstall uninstalls it), keeping the jar for {@link #redeploy}. */
	public void undeploy(String jar) throws IOException {
		Files.move(home.resolve("deploy").resolve(jar), home.resolve(jar), StandardCopyOption.REPLACE_EXISTING);
	}

	public void redeploy(String jar) throws IOException {
		Files.move(home.resolve(jar), home.resolve("deploy").resolve(jar));
	}

	/** Drops a bundle into deploy/ (FileInstall installs and starts it). */
	public void deploy(Path jar, String name) throws IOException {
		Path tmp = home.resolve(name + ".part");
		Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
		Files.move(tmp, home.resolve("deploy").resolve(name), StandardCopyOption.ATOMIC_MOVE);
	}

	/** The runtime's JVM (the launcher script execs it). */
	public long pid() {
		return process.pid();
	}

	public String log() {
		return log(home);
	}

	@Override
	public void close() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
	}

	public static void deleteTree(Path dir) throws IOException {
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
