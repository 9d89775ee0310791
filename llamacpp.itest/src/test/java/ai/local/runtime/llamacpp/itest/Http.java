package ai.local.runtime.llamacpp.itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP against the runtime: JSON in, JSON or server-sent events out. */
final class Http {
	static final ObjectMapper JSON = new ObjectMapper();
	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private final String base;

	Http(String base) {
		this.base = base;
	}

	String base() {
		return base;
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
		String credentials = java.util.Base64.getEncoder()
				.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Basic " + credentials)
				.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Waits until /health/ready answers 200: the default provider and its engine are up, with a model. */
	void awaitReady() throws InterruptedException {
		await("/health/ready");
	}

	/**
	 * Waits until /health answers 200: the provider bundles are started (a runtime without models is never
	 * "ready"; its requests wait for the engine themselves).
	 */
	void awaitUp() throws InterruptedException {
		await("/health");
	}

	private void await(String path) throws InterruptedException {
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (System.nanoTime() < deadline) {
			try {
				if (get(path).statusCode() == 200) {
					return;
				}
			} catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new AssertionError("the runtime at " + base + " did not answer 200 on " + path + " in 60 s");
	}

	/** A console form POST with basic credentials (no body). */
	HttpResponse<String> postAs(String path, String user, String password) throws IOException, InterruptedException {
		String credentials = java.util.Base64.getEncoder()
				.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Basic " + credentials)
				.POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return client.send(request(path, json), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
				.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	JsonNode postOk(String path, String json) throws IOException, InterruptedException {
		HttpResponse<String> r = post(path, json);
		if (r.statusCode() != 200) {
			throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
		}
		return JSON.readTree(r.body());
	}

	/** An event as received, with the time since the request was sent. */
	record Event(JsonNode data, long nanos) {
	}

	/** The data events of a stream, up to and excluding [DONE]; the last element is null if [DONE] came. */
	List<Event> stream(String path, String json) throws IOException, InterruptedException {
		long t0 = System.nanoTime();
		HttpResponse<InputStream> r = open(path, json);
		if (r.statusCode() != 200) {
			throw new AssertionError("HTTP " + r.statusCode() + ": " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
		}
		List<Event> events = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
			for (String line; (line = in.readLine()) != null;) {
				if (line.equals("data: [DONE]")) {
					events.add(null);
					break;
				}
				if (line.startsWith("data: ")) {
					events.add(new Event(JSON.readTree(line.substring(6)), System.nanoTime() - t0));
				}
			}
		}
		return events;
	}

	HttpResponse<InputStream> open(String path, String json) throws IOException, InterruptedException {
		return client.send(request(path, json), HttpResponse.BodyHandlers.ofInputStream());
	}

	private HttpRequest request(String path, String json) {
		return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
	}
}
