package ai.local.runtime.testing.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (the Debian package; .ci/run installs it) on a free port, with a password, without
 * persistence, in its own directory. {@link #kill} and {@link #start} again on the same port simulate an
 * outage.
 */
public final class RedisServer implements AutoCloseable {
	public final int port;
	public final String password;
	private final Path dir;
	private final List<String> options;
	private Process process;

	private RedisServer(int port, String password, Path dir, List<String> options) {
		this.port = port;
		this.password = password;
		this.dir = dir;
		this.options = options;
	}

	/**
	 * Starts one with {@code password} (null: none) on a free port; {@code options} are more redis-server
	 * arguments (e.g. {@code --rename-command CLIENT ""} to take a command away).
	 */
	public static RedisServer start(String password, String... options) throws Exception {
		int port;
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		RedisServer r = new RedisServer(port, password, Files.createTempDirectory("redis-" + port), List.of(options));
		r.start();
		return r;
	}

	public static String binary() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		throw new IllegalStateException("redis-server is not installed (apt-get install redis-server; .ci/run does it)");
	}

	/** (Re)starts the server on its port and waits until it accepts connections. */
	public synchronized void start() throws Exception {
		List<String> cmd = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", dir.toString(), "--databases", "16"));
		if (password != null) {
			cmd.addAll(List.of("--requirepass", password));
		}
		cmd.addAll(options);
		process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
				.start();
		long deadline = System.currentTimeMillis() + 10_000;
		while (System.currentTimeMillis() < deadline) {
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			} catch (IOException notYet) {
				if (!process.isAlive()) {
					throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
				}
				Thread.sleep(20);
			}
		}
		throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
	}

	/** Kills the server at once (SIGKILL): an outage, not a shutdown. */
	public synchronized void kill() throws InterruptedException {
		if (process != null) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
			process = null;
		}
	}

	public String endpoint() {
		return "127.0.0.1:" + port;
	}

	@Override
	public void close() throws InterruptedException {
		kill();
	}
}
