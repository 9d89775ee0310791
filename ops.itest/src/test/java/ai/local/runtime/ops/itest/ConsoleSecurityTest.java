package ai.local.runtime.ops.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.testing.http.Api;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * The Web Console as an attacker meets it: a cross-site form posted with the operator's cached credentials does
 * nothing, no page can be framed, failed logins are limited, and the process list shows neither the password nor
 * a hash of it. Weak passwords and an open listener without keys are refused before the runtime starts.
 */
class ConsoleSecurityTest {
	private static final String PASSWORD = "console-security-test-pw";
	private static final String CONSOLE = "/system/console/bundles";
	private static RuntimeProcess runtime;
	private static Api api;
	private static String[] auth;

	@BeforeAll
	static void start() throws Exception {
		runtime = RuntimeProcess.start(Map.of("RUNTIME_CONSOLE_PASSWORD", PASSWORD),
				List.of(Path.of(System.getProperty("scripted.provider.jar"))));
		api = new Api(runtime.base());
		auth = new String[] { "Authorization", basic("admin", PASSWORD) };
		Waits.until("the scripted provider answers", () -> api.get("/v1/models").body().contains("scripted:echo"));
	}

	@AfterAll
	static void stop() throws Exception {
		if (runtime != null) {
			runtime.close();
		}
	}

	@Test
	void theConsoleResistsWebPagesAndGuessing() throws Exception {
		Api.Reply page = api.get(CONSOLE, auth);
		assertEquals(200, page.status());
		assertEquals("DENY", page.header("X-Frame-Options"), "no page may frame the console (clickjacking)");

		long id = -1;
		for (JsonNode b : api.get(CONSOLE + ".json", auth).json().path("data")) {
			id = b.path("symbolicName").asText().equals("test.provider.scripted") ? b.path("id").asLong() : id;
		}
		assertTrue(id > 0);
		// a page of another site posts the console's stop form; the browser adds the cached credentials
		Api.Reply forged = api.form(CONSOLE + "/" + id, "action=stop", "Origin", "http://evil.example", auth[0], auth[1]);
		assertEquals(403, forged.status(), forged.body());
		Api.Reply forgedByReferer = api.form(CONSOLE + "/" + id, "action=stop", "Referer",
				"http://evil.example/page.html", auth[0], auth[1]);
		assertEquals(403, forgedByReferer.status());
		assertEquals(200, api.post("/v1/chat/completions", chat()).status(), "the provider bundle still runs");

		// ps shows neither the password nor an unsalted hash of it
		String cmdline = Files.readString(Path.of("/proc/" + runtime.pid() + "/cmdline")).replace('\0', ' ');
		assertFalse(cmdline.contains(PASSWORD), cmdline);
		String sha = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
				.digest(PASSWORD.getBytes(StandardCharsets.UTF_8)));
		assertFalse(cmdline.contains(sha), cmdline);

		// guessing: five failures, then 429 for the rest of the minute, even with the right password
		assertEquals(401, api.get(CONSOLE, "Authorization", basic("admin", "admin")).status(), "admin/admin never works");
		for (int i = 0; i < 4; i++) {
			assertEquals(401, api.get(CONSOLE, "Authorization", basic("admin", "guess-" + i)).status());
		}
		Api.Reply locked = api.get(CONSOLE, auth);
		assertEquals(429, locked.status());
		assertTrue(Integer.parseInt(locked.header("Retry-After")) > 0);
	}

	@Test
	void weakPasswordsAndOpenListenersWithoutKeysAreRefused() {
		Path home = Path.of(System.getProperty("runtime.home") + "-refused");
		for (String weak : new String[] { "admin", "short-pw", "ADMIN" }) {
			IllegalStateException e = assertThrows(IllegalStateException.class,
					() -> RuntimeProcess.start(Map.of("RUNTIME_CONSOLE_PASSWORD", weak), List.of(), home, true));
			assertTrue(e.getMessage().contains("too weak"), e.getMessage());
		}
		IllegalStateException open = assertThrows(IllegalStateException.class,
				() -> RuntimeProcess.start(Map.of("RUNTIME_LISTEN_HOST", "0.0.0.0"), List.of(), home, true));
		assertTrue(open.getMessage().contains("without API keys"), open.getMessage());
	}

	private static com.fasterxml.jackson.databind.node.ObjectNode chat() {
		com.fasterxml.jackson.databind.node.ObjectNode body = Api.JSON.createObjectNode().put("model", "scripted:echo");
		body.set("messages", Api.messages(List.<String[]>of(new String[] { "user", "hi" })));
		return body;
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}
}
