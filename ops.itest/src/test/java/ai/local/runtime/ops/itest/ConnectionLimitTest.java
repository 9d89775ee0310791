package ai.local.runtime.ops.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * max.connections: connections that open and send nothing cannot fill the server. At the limit Jetty stops
 * accepting and closes idle connections after a second, so /health is answered within seconds.
 */
class ConnectionLimitTest {
	private static RuntimeProcess runtime;

	@BeforeAll
	static void start() throws Exception {
		Path home = Path.of(System.getProperty("runtime.home") + "-limit");
		RuntimeProcess.deleteTree(home);
		Files.createDirectories(home.resolve("conf"));
		Files.writeString(home.resolve("conf/runtime.http.cfg"), "max.connections=20\n");
		runtime = RuntimeProcess.start(Map.of("RUNTIME_CONSOLE_PASSWORD", "connection-limit-password"), List.of(),
				home, false);
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	@Test
	void idleConnectionsBeyondTheLimitAreClosedAndHealthAnswers() throws Exception {
		List<Socket> idle = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				Socket s = new Socket("127.0.0.1", runtime.port);
				s.setSoTimeout(200);
				idle.add(s);
			}
			long t0 = System.nanoTime();
			HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
					runtime.base() + "/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
			long millis = (System.nanoTime() - t0) / 1_000_000;
			assertEquals(200, health.statusCode());
			assertTrue(millis < 5000, "/health took " + millis + " ms");
			int closed = 0;
			for (Socket s : idle) {
				try {
					closed += s.getInputStream().read() == -1 ? 1 : 0;
				} catch (SocketTimeoutException stillOpen) {
					// not reached yet
				} catch (IOException reset) {
					closed++;
				}
			}
			assertTrue(closed >= 20, "idle connections closed by the server: " + closed);
		} finally {
			for (Socket s : idle) {
				s.close();
			}
		}
	}
}
