package ai.local.runtime.compat.clients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.local.runtime.testing.process.RuntimeProcess;

/** The runtime as a user starts it, with the scripted provider as its default, once it lists its models. */
final class Runtimes {
	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private Runtimes() {
	}

	static RuntimeProcess scripted(Map<String, String> env) throws Exception {
		Map<String, String> all = new java.util.HashMap<>(env);
		all.put("RUNTIME_PROVIDER", "scripted");
		RuntimeProcess runtime = RuntimeProcess.start(all, List.of(Path.of(System.getProperty("scripted.provider.jar"))));
		long deadline = System.currentTimeMillis() + 15_000;
		while (System.currentTimeMillis() < deadline) {
			if (get(runtime, "/v1/models", all.get("RUNTIME_API_KEYS")).contains("\"thinker\"")) {
				return runtime;
			}
			Thread.sleep(100);
		}
		String log = runtime.log();
		runtime.close();
		throw new AssertionError("the scripted provider never listed its models\n" + log);
	}

	static RuntimeProcess scripted() throws Exception {
		return scripted(Map.of());
	}

	static String get(RuntimeProcess runtime, String path) throws Exception {
		return get(runtime, path, null);
	}

	private static String get(RuntimeProcess runtime, String path, String key) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(runtime.base() + path));
		if (key != null) {
			b.header("Authorization", "Bearer " + key);
		}
		return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	static HttpResponse<String> send(RuntimeProcess runtime, String method, String path, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.base() + path))
				.method(method, HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json").build(),
				HttpResponse.BodyHandlers.ofString());
	}
}
