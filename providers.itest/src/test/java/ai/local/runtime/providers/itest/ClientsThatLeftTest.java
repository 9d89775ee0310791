package ai.local.runtime.providers.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.process.RuntimeProcess;
import ai.local.runtime.testing.upstream.FakeOpenAi;

/**
 * Work for clients that left is not done: requests that hang up while they wait in the queue are not sent upstream
 * when a slot frees, and they are logged as 499 (the client closed the request), not 200.
 */
class ClientsThatLeftTest {
	private static final String PATH = "/v1/chat/completions";
	private static FakeOpenAi vllm;
	private static RuntimeProcess runtime;
	private static Api api;

	@BeforeAll
	static void start() throws Exception {
		vllm = new FakeOpenAi("/v1", List.of("m"), false);
		Path home = Path.of(System.getProperty("runtime.home") + "-left");
		RuntimeProcess.deleteTree(home);
		Files.createDirectories(home.resolve("conf"));
		// one request at a time for the provider, so the others queue
		Files.writeString(home.resolve("conf/runtime.http.cfg"), "max.concurrent.requests.per.provider=1\n");
		runtime = RuntimeProcess.start(Map.of("VLLM_HOST", vllm.url()),
				List.of(Path.of(System.getProperty("providers.dir")).resolve("provider.openai.jar")), home, false);
		api = new Api(runtime.base());
		long deadline = System.currentTimeMillis() + 20_000;
		while (!api.get("/v1/models").body().contains("vllm:m") && System.currentTimeMillis() < deadline) {
			Thread.sleep(50);
		}
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
		vllm.close();
	}

	@Test
	void queuedRequestsWhoseClientHungUpAreNotSentUpstream() throws Exception {
		vllm.delayMillis = 3000;
		try {
			CompletableFuture<Api.Reply> holder = CompletableFuture.supplyAsync(
					() -> api.post(PATH, HttpProvidersTest.chat("vllm:m", false)));
			long wait = System.currentTimeMillis() + 10_000;
			while (vllm.requests(PATH).isEmpty() && System.currentTimeMillis() < wait) {
				Thread.sleep(20);
			}
			assertEquals(1, vllm.requests(PATH).size(), "the first request holds the provider's one slot");
			List<Socket> leaving = new ArrayList<>();
			String body = HttpProvidersTest.chat("vllm:m", true).toString();
			for (int i = 0; i < 5; i++) {
				Socket s = new Socket("127.0.0.1", runtime.port);
				OutputStream out = s.getOutputStream();
				out.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
						+ "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
				out.flush();
				leaving.add(s);
			}
			Thread.sleep(500); // they are queued now
			for (Socket s : leaving) {
				s.close(); // and give up
			}
			assertEquals(200, holder.get().status());
			Thread.sleep(1500); // a slot has freed for each of them by now
			assertEquals(1, vllm.requests(PATH).size(), "requests of clients that left were sent upstream");
			String log = runtime.log();
			Matcher m = Pattern.compile("POST /v1/chat/completions model=vllm:m provider=vllm status=499").matcher(log);
			int logged = 0;
			while (m.find()) {
				logged++;
			}
			assertEquals(5, logged, log);
		} finally {
			vllm.delayMillis = 0;
		}
		assertTrue(api.post(PATH, HttpProvidersTest.chat("vllm:m", false)).status() == 200, "and the runtime serves on");
	}
}
