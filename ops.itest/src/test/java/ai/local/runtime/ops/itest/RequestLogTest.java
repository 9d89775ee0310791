package ai.local.runtime.ops.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.process.RuntimeProcess;

/** The per-request log line, and {@code log.requests} turning it off and on again live from conf/. */
class RequestLogTest {
	private static RuntimeProcess runtime;
	private static Api api;
	private static int probes;

	@BeforeAll
	static void start() throws Exception {
		runtime = RuntimeProcess.start(Map.of("RUNTIME_CONSOLE_PASSWORD", "log-test-password"),
				List.of(Path.of(System.getProperty("scripted.provider.jar"))));
		api = new Api(runtime.base());
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	@Test
	void everyRequestIsLoggedUntilLogRequestsIsTurnedOff() throws Exception {
		assertTrue(logged(probe()), "a request is logged by default");
		Path cfg = runtime.home.resolve("conf/runtime.http.cfg");
		Files.writeString(cfg, "log.requests=false\n");
		Waits.until("log.requests=false applied", () -> !logged(probe()));
		for (int i = 0; i < 20; i++) {
			assertFalse(logged(probe()), "nothing is logged while log.requests=false");
		}
		Files.writeString(cfg, "log.requests=true\n");
		Waits.until("log.requests=true applied", () -> logged(probe()));
	}

	/** A request whose path names it, answered 404; returns that name. */
	private static String probe() {
		String name = "log-probe-" + (++probes);
		assertEquals(404, api.get("/v1/models/" + name).status());
		return name;
	}

	/** Whether the request's line is in the log (written as the request ends, just after its answer). */
	private static boolean logged(String probe) throws InterruptedException {
		Thread.sleep(150);
		return runtime.log().contains("GET /v1/models/" + probe + " ");
	}
}
