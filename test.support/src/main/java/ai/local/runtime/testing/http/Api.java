package ai.local.runtime.testing.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A plain HTTP/1.1 client for the runtime's API, keeping the response headers the SDKs hide. */
public class Api {
	public static final ObjectMapper JSON = new ObjectMapper();
	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5)).build();

	public record Reply(int status, Map<String, List<String>> headers, String body) {
		public JsonNode json() {
			try {
				return JSON.readTree(body);
			} catch (IOException e) {
				throw new AssertionError("not JSON: " + body, e);
			}
		}

		public String header(String name) {
			return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
					.map(e -> e.getValue().get(0)).orElse(null);
		}

		public String sessionId() {
			return header("x-session-id");
		}

		/** The chat completion's text, whole or streamed. */
		public String text() {
			if (!body.startsWith("data:")) {
				return json().at("/choices/0/message/content").asText();
			}
			StringBuilder text = new StringBuilder();
			for (String line : body.split("\n")) {
				if (line.startsWith("data: {")) {
					JsonNode chunk = parse(line.substring(6));
					JsonNode content = chunk.at("/choices/0/delta/content");
					if (content.isTextual()) {
						text.append(content.asText());
					}
				}
			}
			return text.toString();
		}
	}

	private final String base;

	public Api(String base) {
		this.base = base;
	}

	public Reply post(String path, JsonNode body, String... headers) {
		return send("POST", path, HttpRequest.BodyPublishers.ofString(body.toString()), headers);
	}

	/** A form POST ({@code application/x-www-form-urlencoded}), as the Web Console's actions take. */
	public Reply form(String path, String form, String... headers) {
		String[] all = new String[headers.length + 2];
		all[0] = "Content-Type";
		all[1] = "application/x-www-form-urlencoded";
		System.arraycopy(headers, 0, all, 2, headers.length);
		return send("POST", path, HttpRequest.BodyPublishers.ofString(form), all);
	}

	public Reply get(String path, String... headers) {
		return send("GET", path, HttpRequest.BodyPublishers.noBody(), headers);
	}

	private Reply send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
				.method(method, body);
		if (method.equals("POST") && !List.of(headers).contains("Content-Type")) {
			b.header("Content-Type", "application/json");
		}
		for (int i = 0; i < headers.length; i += 2) {
			b.header(headers[i], headers[i + 1]);
		}
		try {
			HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
			return new Reply(r.statusCode(), r.headers().map(), r.body());
		} catch (IOException e) {
			throw new AssertionError(method + " " + path + " failed: " + e, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new AssertionError(e);
		}
	}

	/** Messages as {role, content} pairs. */
	public static ArrayNode messages(List<String[]> messages) {
		ArrayNode out = JSON.createArrayNode();
		for (String[] m : messages) {
			out.addObject().put("role", m[0]).put("content", m[1]);
		}
		return out;
	}

	public static JsonNode parse(String s) {
		try {
			return JSON.readTree(s);
		} catch (IOException e) {
			throw new AssertionError("not JSON: " + s, e);
		}
	}
}
