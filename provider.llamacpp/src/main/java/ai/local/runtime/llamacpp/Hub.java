package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;

/**
 * The Hugging Face Hub's documented HTTP API, as huggingface_hub uses it: {@code GET /api/models/ORG/REPO/tree/main}
 * (files, sizes, LFS sha256) and {@code GET /ORG/REPO/resolve/main/FILE} (redirected to the storage, with Range).
 * {@code HF_ENDPOINT} (default https://huggingface.co) and {@code HF_TOKEN} as huggingface_hub reads them; the
 * proxy from {@code HTTPS_PROXY} / {@code HTTP_PROXY} (lower case too) unless {@code NO_PROXY} names the host.
 */
final class Hub {
	/** A file of a repository; {@code sha256} is the LFS oid, null for a file not in LFS. */
	record HubFile(String path, long size, String sha256) {
		String name() {
			int slash = path.lastIndexOf('/');
			return slash < 0 ? path : path.substring(slash + 1);
		}
	}

	private final URI endpoint;
	private final String token;
	private final HttpClient http;

	Hub(UnaryOperator<String> env) {
		String e = env.apply("HF_ENDPOINT");
		this.endpoint = URI.create((e == null || e.isBlank() ? "https://huggingface.co" : e.strip()).replaceAll("/+$", ""));
		String t = env.apply("HF_TOKEN");
		this.token = t == null || t.isBlank() ? null : t.strip();
		HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
				.connectTimeout(Duration.ofSeconds(20));
		ProxySelector proxy = proxy(env, endpoint);
		if (proxy != null) {
			b.proxy(proxy);
		}
		this.http = b.build();
	}

	URI endpoint() {
		return endpoint;
	}

	List<HubFile> tree(HubRef ref) {
		URI uri = endpoint.resolve("/api/models/" + ref.org() + "/" + ref.repo() + "/tree/main?recursive=true");
		HttpResponse<InputStream> r = send(request(uri).GET().build(), ref);
		try (InputStream in = r.body()) {
			JsonNode list = Json.MAPPER.readTree(in);
			List<HubFile> files = new ArrayList<>();
			for (JsonNode f : list) {
				if (!"file".equals(f.path("type").asText())) {
					continue;
				}
				JsonNode lfs = f.get("lfs");
				files.add(new HubFile(f.path("path").asText(), lfs != null ? lfs.path("size").asLong(f.path("size").asLong())
						: f.path("size").asLong(), lfs != null ? lfs.path("oid").asText(null) : null));
			}
			return files;
		} catch (IOException e) {
			throw ApiException.upstream("The Hub's file list of " + ref.repoPath() + " could not be read: " + e.getMessage(), e);
		}
	}

	/** The file's bytes from {@code offset} on; the response is 206 when the Hub honoured the range. */
	HttpResponse<InputStream> download(HubRef ref, HubFile file, long offset) {
		String path = String.join("/", Arrays.stream(file.path().split("/"))
				.map(p -> URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20")).toList());
		HttpRequest.Builder b = request(endpoint.resolve("/" + ref.org() + "/" + ref.repo() + "/resolve/main/" + path));
		if (offset > 0) {
			b.header("Range", "bytes=" + offset + "-");
		}
		return send(b.GET().build(), ref);
	}

	private HttpRequest.Builder request(URI uri) {
		HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("User-Agent", "local-ai-runtime");
		if (token != null) {
			b.header("Authorization", "Bearer " + token);
		}
		return b;
	}

	private HttpResponse<InputStream> send(HttpRequest request, HubRef ref) {
		HttpResponse<InputStream> r;
		try {
			r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		} catch (IOException e) {
			throw ApiException.unavailable("The Hugging Face Hub at " + endpoint + " cannot be reached: " + e, Duration.ofSeconds(10));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw ApiException.unavailable("Interrupted while talking to the Hub", null);
		}
		int status = r.statusCode();
		if (status == 200 || status == 206) {
			return r;
		}
		try {
			r.body().close();
		} catch (IOException ignored) {
			// nothing more to read
		}
		if (status == 401 || status == 403) {
			throw new ApiException(ErrorType.PERMISSION, token == null
					? ref.repoPath() + " needs a Hugging Face token (gated or private): set HF_TOKEN"
					: "The token in HF_TOKEN has no access to " + ref.repoPath()
							+ " (a gated repository: accept its terms on the Hub first)", "model", "hub_unauthorized", null, null);
		}
		if (status == 404) {
			throw new ApiException(ErrorType.NOT_FOUND, ref.repoPath() + " (or the file asked for) does not exist on "
					+ endpoint, "model", "model_not_found", null, null);
		}
		throw ApiException.upstream("The Hub answered HTTP " + status + " for " + request.uri().getPath(), null);
	}

	/** The proxy for the endpoint's scheme from the environment, as curl and huggingface_hub read it. */
	private static ProxySelector proxy(UnaryOperator<String> env, URI endpoint) {
		String host = endpoint.getHost() == null ? "" : endpoint.getHost();
		String noProxy = first(env, "NO_PROXY", "no_proxy");
		if (noProxy != null) {
			for (String n : noProxy.split(",")) {
				String d = n.strip().replaceFirst("^\\*?\\.", "");
				if (d.equals("*") || !d.isEmpty() && (host.equals(d) || host.endsWith("." + d))) {
					return null;
				}
			}
		}
		String p = "https".equals(endpoint.getScheme()) ? first(env, "HTTPS_PROXY", "https_proxy")
				: first(env, "HTTP_PROXY", "http_proxy");
		if (p == null || p.isBlank()) {
			return null;
		}
		URI u = URI.create(p.contains("://") ? p : "http://" + p);
		return ProxySelector.of(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 80 : u.getPort()));
	}

	private static String first(UnaryOperator<String> env, String... names) {
		for (String n : names) {
			String v = env.apply(n);
			if (v != null && !v.isBlank()) {
				return v;
			}
		}
		return null;
	}
}
