package ai.local.runtime.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The running runtime as the tests see it: its HTTP endpoint, its Config Admin, and the scripted provider. */
final class RuntimeClient {
	static final ObjectMapper JSON = new ObjectMapper();
	static final BundleContext CONTEXT = FrameworkUtil.getBundle(RuntimeClient.class).getBundleContext();
	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	static final String SCRIPTED = "test.provider.scripted";

	private RuntimeClient() {
	}

	static String base() {
		ServiceTracker<HttpServiceRuntime, HttpServiceRuntime> t = new ServiceTracker<>(CONTEXT,
				HttpServiceRuntime.class, null);
		t.open();
		try {
			long deadline = System.currentTimeMillis() + 10_000;
			while (System.currentTimeMillis() < deadline) {
				ServiceReference<HttpServiceRuntime> ref = t.getServiceReference();
				if (ref != null) {
					Object ep = ref.getProperty("osgi.http.endpoint");
					String url = ep instanceof String[] a ? a[0] : ep instanceof List<?> l ? (String) l.get(0) : (String) ep;
					if (url != null && !url.endsWith(":0/")) {
						return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
					}
				}
				Thread.sleep(50);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		} finally {
			t.close();
		}
		throw new AssertionError("no HTTP endpoint within 10 s");
	}

	static HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> post(String path, String body, String... headers) throws IOException,
			InterruptedException {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
		if (headers.length > 0) {
			b.headers(headers);
		}
		return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<InputStream> postStream(String path, String body) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofInputStream());
	}

	static JsonNode json(HttpResponse<String> r) throws IOException {
		return JSON.readTree(r.body());
	}

	/** The scripted provider bundle, installed from the copy inside this test bundle when it is not there. */
	static Bundle scriptedProvider() throws Exception {
		for (Bundle b : CONTEXT.getBundles()) {
			if (SCRIPTED.equals(b.getSymbolicName())) {
				return b;
			}
		}
		try (InputStream in = RuntimeClient.class.getResourceAsStream("/scripted-provider.jar")) {
			Bundle b = CONTEXT.installBundle("itest:scripted-provider", in);
			b.start();
			awaitTrue("scripted provider routable", () -> modelsContain("scripted:echo"));
			return b;
		}
	}

	static boolean modelsContain(String id) {
		try {
			return get("/v1/models").body().contains("\"" + id + "\"");
		} catch (IOException e) {
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Sets properties of PID runtime.http (null removes one) and waits until {@code applied} holds. */
	static void configure(Map<String, Object> changes, BooleanSupplier applied) throws Exception {
		ConfigurationAdmin cm = CONTEXT.getService(CONTEXT.getServiceReference(ConfigurationAdmin.class));
		Configuration c = cm.getConfiguration("runtime.http", "?");
		Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
		changes.forEach((k, v) -> {
			if (v == null) {
				props.remove(k);
			} else {
				props.put(k, v);
			}
		});
		c.update(props);
		awaitTrue("configuration applied: " + changes, applied);
	}

	static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 10_000;
		while (System.currentTimeMillis() < deadline) {
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(50);
		}
		fail("timed out waiting for: " + what);
	}

	static int status(String path, String body, String... headers) {
		try {
			return post(path, body, headers).statusCode();
		} catch (IOException e) {
			return -1;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}
}
