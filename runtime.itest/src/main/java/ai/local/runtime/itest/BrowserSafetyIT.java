package ai.local.runtime.itest;

import static ai.local.runtime.itest.RuntimeClient.base;
import static ai.local.runtime.itest.RuntimeClient.configure;
import static ai.local.runtime.itest.RuntimeClient.scriptedProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a web page the user visits can do to the runtime on 127.0.0.1: nothing. Requests are written by hand, as
 * a browser (or a DNS-rebinding page) sends them; Java's HTTP client would not send a foreign Host header.
 */
class BrowserSafetyIT {
	private static final String CHAT = "{\"model\":\"scripted:echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	record Raw(int status, Map<String, String> headers, String body) {
		String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	@BeforeAll
	static void provider() throws Exception {
		scriptedProvider();
	}

	@AfterEach
	void reset() throws Exception {
		Map<String, Object> none = new HashMap<>();
		none.put("cors.origins", null);
		none.put("allowed.hosts", null);
		configure(none, () -> send("POST", "/v1/chat/completions", host(), "http://app.example", "application/json",
				CHAT).status() == 403);
	}

	@Test
	void aRebindingPageIsRefusedWhateverItSends() {
		// the attack run's request: a foreign Host, a foreign Origin, text/plain (no preflight)
		Raw r = send("POST", "/v1/chat/completions", "evil.example:" + port(), "http://evil.example:" + port(),
				"text/plain", CHAT);
		assertEquals(403, r.status(), r.body());
		assertTrue(r.body().contains("host_not_allowed"), r.body());
		assertEquals(403, send("GET", "/v1/models", "evil.example", null, null, null).status());
		assertEquals(403, send("GET", "/health", "evil.example", null, null, null).status());
		assertEquals(403, send("GET", "/metrics", "rebind.attacker.test:" + port(), null, null, null).status());
		// the runtime's own names
		assertEquals(200, send("GET", "/v1/models", "localhost:" + port(), null, null, null).status());
		assertEquals(200, send("GET", "/v1/models", "127.0.0.1:" + port(), null, null, null).status());
		assertEquals(200, send("GET", "/v1/models", "[::1]:" + port(), null, null, null).status());
	}

	@Test
	void anotherOriginIsRefusedAndNoSimpleRequestReachesTheApi() {
		Raw crossSite = send("POST", "/v1/chat/completions", host(), "http://evil.example", "text/plain", CHAT);
		assertEquals(403, crossSite.status(), crossSite.body());
		assertTrue(crossSite.body().contains("origin_not_allowed"), crossSite.body());
		assertNull(crossSite.header("Access-Control-Allow-Origin"));
		Raw preflight = send("OPTIONS", "/v1/chat/completions", host(), "http://evil.example", null, null,
				"Access-Control-Request-Method", "POST");
		assertEquals(403, preflight.status());
		assertNull(preflight.header("Access-Control-Allow-Origin"));
		// without an Origin (curl, SDKs) the body must still say it is JSON
		Raw plain = send("POST", "/v1/chat/completions", host(), null, "text/plain", CHAT);
		assertEquals(415, plain.status(), plain.body());
		assertEquals(415, send("POST", "/v1/chat/completions", host(), null, "application/x-www-form-urlencoded", CHAT)
				.status());
		assertEquals(415, send("POST", "/v1/chat/completions", host(), null, null, CHAT).status());
		assertEquals(200, send("POST", "/v1/chat/completions", host(), null, "application/json; charset=utf-8", CHAT)
				.status());
		// the runtime's own pages (the console's playground) are the same origin
		assertEquals(200, send("POST", "/v1/chat/completions", host(), "http://" + host(), "application/json", CHAT)
				.status());
		// Ollama's API: its clients and its documented curl send no JSON type, so that is not asked; a page of
		// another origin is refused all the same
		Raw ollamaCrossSite = send("POST", "/api/chat", host(), "http://evil.example", "text/plain", OLLAMA_CHAT);
		assertEquals(403, ollamaCrossSite.status(), ollamaCrossSite.body());
		assertTrue(ollamaCrossSite.body().startsWith("{\"error\":\"Requests from web pages of other origins"),
				ollamaCrossSite.body());
		assertEquals(200, send("POST", "/api/chat", host(), null, "application/x-www-form-urlencoded", OLLAMA_CHAT)
				.status());
	}

	private static final String OLLAMA_CHAT = "{\"model\":\"scripted:echo\",\"stream\":false,\"messages\":"
			+ "[{\"role\":\"user\",\"content\":\"hi\"}]}";

	@Test
	void configuredOriginsGetCorsWithPreflight() throws Exception {
		configure(Map.of("cors.origins", "http://app.example"), () -> send("POST", "/v1/chat/completions", host(),
				"http://app.example", "application/json", CHAT).status() == 200);
		Raw preflight = send("OPTIONS", "/v1/chat/completions", host(), "http://app.example", null, null,
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type");
		assertEquals(204, preflight.status(), preflight.body());
		assertEquals("http://app.example", preflight.header("Access-Control-Allow-Origin"));
		assertTrue(preflight.header("Access-Control-Allow-Methods").contains("POST"));
		assertEquals("authorization, content-type", preflight.header("Access-Control-Allow-Headers"));
		Raw allowed = send("POST", "/v1/chat/completions", host(), "http://app.example", "application/json", CHAT);
		assertEquals(200, allowed.status(), allowed.body());
		assertEquals("http://app.example", allowed.header("Access-Control-Allow-Origin"));
		assertTrue(allowed.header("Access-Control-Expose-Headers").contains("x-session-id"));
		assertEquals(403, send("POST", "/v1/chat/completions", host(), "http://other.example", "application/json", CHAT)
				.status());
		configure(Map.of("allowed.hosts", "runtime.lan"), () -> send("GET", "/v1/models", "runtime.lan", null, null,
				null).status() == 200);
	}

	@Test
	void errorsJettyAnswersItselfAreJsonToo() {
		Raw longUri = send("GET", "/v1/models?q=" + "a".repeat(20_000), host(), null, null, null);
		assertEquals(414, longUri.status());
		assertTrue(longUri.header("Content-Type").startsWith("application/json"), longUri.toString());
		assertTrue(longUri.body().contains("\"code\":\"http_414\""), longUri.body());
		Raw bigHeaders = send("GET", "/v1/models", host(), null, null, null, "X-Big", "b".repeat(20_000));
		assertEquals(431, bigHeaders.status());
		assertTrue(bigHeaders.header("Content-Type").startsWith("application/json"), bigHeaders.toString());
		Raw badUri = send("GET", "/v1/%zz", host(), null, null, null);
		assertEquals(400, badUri.status());
		assertTrue(badUri.body().startsWith("{\"error\":"), badUri.body());
	}

	private static int port() {
		return URI.create(base()).getPort();
	}

	private static String host() {
		return "127.0.0.1:" + port();
	}

	static Raw send(String method, String path, String host, String origin, String contentType, String body,
			String... extra) {
		try (Socket s = new Socket("127.0.0.1", port())) {
			s.setSoTimeout(10_000);
			byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
			StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
			if (origin != null) {
				head.append("Origin: ").append(origin).append("\r\n");
			}
			if (contentType != null) {
				head.append("Content-Type: ").append(contentType).append("\r\n");
			}
			for (int i = 0; i < extra.length; i += 2) {
				head.append(extra[i]).append(": ").append(extra[i + 1]).append("\r\n");
			}
			head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
			OutputStream out = s.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.write(bytes);
			out.flush();
			InputStream in = s.getInputStream();
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			in.transferTo(all);
			String text = all.toString(StandardCharsets.UTF_8);
			int split = text.indexOf("\r\n\r\n");
			String[] lines = text.substring(0, split).split("\r\n");
			Map<String, String> headers = new HashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
			}
			return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(split + 4));
		} catch (Exception e) {
			throw new AssertionError(method + " " + path + ": " + e, e);
		}
	}
}
