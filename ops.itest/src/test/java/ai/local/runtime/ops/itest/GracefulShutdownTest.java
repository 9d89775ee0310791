package ai.local.runtime.ops.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * SIGTERM (what a service manager or Ctrl-C sends) stops the runtime in order: a stream that is running finishes
 * whole before the process exits, and the process does exit.
 */
class GracefulShutdownTest {

	@Test
	void aStopSignalLetsTheRunningStreamFinish() throws Exception {
		RuntimeProcess runtime = RuntimeProcess.start(Map.of("RUNTIME_CONSOLE_PASSWORD", "graceful-stop-password"),
				List.of(Path.of(System.getProperty("scripted.provider.jar"))));
		Api api = new Api(runtime.base());
		Waits.until("the scripted provider answers", () -> api.get("/v1/models").body().contains("scripted:slow"));
		ObjectNode body = Api.JSON.createObjectNode().put("model", "scripted:slow").put("stream", true);
		body.set("messages", Api.messages(List.<String[]>of(new String[] { "user", "x" })));
		CompletableFuture<Api.Reply> stream = CompletableFuture.supplyAsync(() -> api.post("/v1/chat/completions", body));
		Thread.sleep(1000); // the stream (200 pieces, 20 ms apart) is running
		ProcessHandle jvm = ProcessHandle.of(runtime.pid()).orElseThrow();
		jvm.destroy(); // SIGTERM
		Api.Reply reply = stream.get(60, TimeUnit.SECONDS);
		assertEquals(200, reply.status());
		assertTrue(reply.body().contains("p199 ") && reply.body().endsWith("data: [DONE]\n\n"),
				"the stream was cut: ..." + reply.body().substring(Math.max(0, reply.body().length() - 300)));
		assertTrue(jvm.onExit().get(60, TimeUnit.SECONDS) != null);
		assertTrue(runtime.log().contains("stop signal"), runtime.log());
		runtime.close();
	}
}
