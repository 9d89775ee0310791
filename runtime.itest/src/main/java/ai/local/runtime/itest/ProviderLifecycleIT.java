package ai.local.runtime.itest;

import static ai.local.runtime.itest.RuntimeClient.awaitTrue;
import static ai.local.runtime.itest.RuntimeClient.json;
import static ai.local.runtime.itest.RuntimeClient.modelsContain;
import static ai.local.runtime.itest.RuntimeClient.post;
import static ai.local.runtime.itest.RuntimeClient.scriptedProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

/** A provider bundle that is installed is routable at once; one that is uninstalled is gone — no restart. */
class ProviderLifecycleIT {
	private static final String CHAT = "{\"model\":\"scripted:echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	@Test
	void routingFollowsInstallAndUninstall() throws Exception {
		Bundle provider = scriptedProvider();
		assertEquals(200, post("/v1/chat/completions", CHAT).statusCode());

		provider.uninstall();
		awaitTrue("scripted models gone from /v1/models", () -> !modelsContain("scripted:echo"));
		HttpResponse<String> gone = post("/v1/chat/completions", CHAT);
		assertEquals(404, gone.statusCode(), gone.body());
		JsonNode error = json(gone).get("error");
		assertEquals("model_not_found", error.get("code").asText());
		assertEquals("model", error.get("param").asText());

		scriptedProvider();
		HttpResponse<String> back = post("/v1/chat/completions", CHAT);
		assertEquals(200, back.statusCode(), back.body());
		assertEquals("You said: hi", json(back).at("/choices/0/message/content").asText());
	}

	@Test
	void stoppedProviderDisappearsAndRestartedComesBack() throws Exception {
		Bundle provider = scriptedProvider();
		provider.stop();
		awaitTrue("models gone after stop", () -> !modelsContain("scripted:echo"));
		assertFalse(modelsContain("scripted:tools"));
		provider.start();
		awaitTrue("models back after start", () -> modelsContain("scripted:echo"));
	}
}
