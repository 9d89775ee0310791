package ai.local.runtime.providers.itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.local.runtime.testing.process.RuntimeProcess;
import ai.local.runtime.testing.upstream.FakeOpenAi;

/**
 * The gateway's overhead (issue 4): the same fast upstream reached directly, through nginx proxy_pass, and
 * through the runtime's provider.openai. nginx serves the non-stream upstream itself ({@code return 200} of a
 * fixed chat.completion), so the upstream costs next to nothing; wrk drives the load (1 connection for latency,
 * 32 for throughput), the paths taking turns for {@code bench.rounds} rounds (medians reported) after the
 * runtime's JIT has warmed up for {@code bench.warmup.seconds}. The SSE test relays one long stream from
 * {@link FakeOpenAi} and counts chunks per second.
 * Run with bench/gateway.sh; needs nginx and wrk (Debian packages).
 */
public final class GatewayBench {
	private static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
			+ "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello there, "
			+ "how can I help?\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,"
			+ "\"total_tokens\":16}}";
	private static final String BODY = "{\"model\":\"bench:m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	private static final String DIRECT = "direct";
	private static final String NGINX = "nginx proxy_pass";
	private static final String RUNTIME = "runtime (provider.openai)";
	private static final String RUNTIME_LOGGING = "runtime, request log on";

	record Result(String path, int connections, double rps, double p50us, double p99us) {
	}

	private static Result median(List<Result> runs, String path, int connections) {
		List<Result> mine = runs.stream().filter(r -> r.path().equals(path) && r.connections() == connections).toList();
		return new Result(path, connections, median(mine, Result::rps), median(mine, Result::p50us),
				median(mine, Result::p99us));
	}

	private static double median(List<Result> runs, ToDoubleFunction<Result> value) {
		double[] v = runs.stream().mapToDouble(value).sorted().toArray();
		return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
	}

	private static Result find(List<Result> results, String path, int connections) {
		return results.stream().filter(r -> r.path().equals(path) && r.connections() == connections).findFirst()
				.orElseThrow();
	}

	/** Turns the runtime's request log on or off through conf/ and waits for FileInstall to apply it. */
	private static void requestLog(RuntimeProcess runtime, boolean on) throws Exception {
		Files.writeString(runtime.home.resolve("conf/runtime.http.cfg"), "log.requests=" + on + "\n");
		Thread.sleep(3000);
	}

	public static void main(String[] args) throws Exception {
		int seconds = Integer.parseInt(System.getProperty("bench.seconds", "10"));
		Path work = Path.of(System.getProperty("runtime.home")).getParent().resolve("gateway-bench");
		Files.createDirectories(work.resolve("logs"));
		int upstreamPort = freePort();
		int proxyPort = freePort();
		int streamProxyPort = freePort();
		try (FakeOpenAi streamer = new FakeOpenAi("/v1", List.of("m"), false)) {
			Path conf = work.resolve("nginx.conf");
			Files.writeString(conf, nginxConf(upstreamPort, proxyPort, streamProxyPort, streamer.port(), work));
			Process nginx = new ProcessBuilder("nginx", "-p", work.toString(), "-c", conf.toString(), "-g",
					"daemon off;").redirectErrorStream(true).redirectOutput(work.resolve("logs/nginx.out").toFile()).start();
			Path dir = Path.of(System.getProperty("providers.dir"));
			try (RuntimeProcess runtime = RuntimeProcess.start(Map.of("RUNTIME_PROVIDER", "bench"),
					List.of(dir.resolve("provider.openai.jar")))) {
				Files.writeString(runtime.home.resolve("conf/provider.openai-bench.cfg"),
						"base.url=http://127.0.0.1:" + upstreamPort + "\n");
				Files.writeString(runtime.home.resolve("conf/provider.openai-stream.cfg"),
						"base.url=" + streamer.url() + "\n");
				Path lua = work.resolve("post.lua");
				Files.writeString(lua, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
						+ "wrk.body = '" + BODY + "'\n");
				String direct = "http://127.0.0.1:" + upstreamPort;
				String viaNginx = "http://127.0.0.1:" + proxyPort;
				String viaRuntime = runtime.base();
				// nginx runs with access_log off; the runtime's request log goes off the same way (measured on too)
				requestLog(runtime, false);
				waitFor200(viaRuntime + "/v1/chat/completions");
				int warmup = Integer.parseInt(System.getProperty("bench.warmup.seconds", "120"));
				System.out.printf(Locale.ROOT, "warming up (%d s per path, %d s for the runtime's JIT) ...%n", seconds,
						warmup);
				wrk(direct, 32, seconds, lua);
				wrk(viaNginx, 32, seconds, lua);
				// C2 needs minutes on 2 busy cores; both loads, so the one-connection path is compiled too
				for (int left = warmup; left > 0; left -= 15) {
					wrk(viaRuntime, 32, Math.max(1, Math.min(10, left)), lua);
					wrk(viaRuntime, 1, 5, lua);
				}
				// the paths take turns, round after round, and each figure is the median of its rounds: the machine's
				// noise (2 shared cores) hits all of them alike
				int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
				List<Result> runs = new ArrayList<>();
				for (int c : new int[] { 1, 32 }) {
					for (int round = 0; round < rounds; round++) {
						runs.add(wrk(direct, c, seconds, lua).named(DIRECT));
						runs.add(wrk(viaNginx, c, seconds, lua).named(NGINX));
						runs.add(wrk(viaRuntime, c, seconds, lua).named(RUNTIME));
					}
				}
				requestLog(runtime, true);
				for (int c : new int[] { 1, 32 }) {
					for (int round = 0; round < rounds; round++) {
						runs.add(wrk(viaRuntime, c, seconds, lua).named(RUNTIME_LOGGING));
					}
				}
				List<Result> results = new ArrayList<>();
				for (String path : List.of(DIRECT, NGINX, RUNTIME, RUNTIME_LOGGING)) {
					for (int c : new int[] { 1, 32 }) {
						results.add(median(runs, path, c));
					}
				}
				System.out.println();
				System.out.println("| path | connections | requests/s | p50 | p99 |");
				System.out.println("|---|---|---|---|---|");
				for (Result r : results) {
					System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f µs | %.0f µs |%n", r.path(), r.connections(),
							r.rps(), r.p50us(), r.p99us());
				}
				Result d1 = find(results, DIRECT, 1), n1 = find(results, NGINX, 1), r1 = find(results, RUNTIME, 1);
				Result n32 = find(results, NGINX, 32), r32 = find(results, RUNTIME, 32);
				Result l1 = find(results, RUNTIME_LOGGING, 1), l32 = find(results, RUNTIME_LOGGING, 32);
				System.out.printf(Locale.ROOT, "%nthroughput (32 connections): runtime %.2fx nginx (request log on: %.2fx)%n",
						r32.rps() / n32.rps(), l32.rps() / n32.rps());
				System.out.printf(Locale.ROOT, "added p50 (1 connection): runtime +%.0f µs (request log on: +%.0f µs), "
						+ "nginx +%.0f µs over direct%n", r1.p50us() - d1.p50us(), l1.p50us() - d1.p50us(),
						n1.p50us() - d1.p50us());
				System.out.printf(Locale.ROOT, "added p99 (1 connection): runtime +%.0f µs, nginx +%.0f µs over direct%n",
						r1.p99us() - d1.p99us(), n1.p99us() - d1.p99us());

				// CPU time per request (all threads of the process, from /proc), runtime log off again: where the
				// throughput goes on shared cores
				requestLog(runtime, false);
				long nginxWorker = nginx.toHandle().children().findFirst().orElseThrow().pid();
				System.out.println();
				System.out.println("| CPU per request, 32 connections | process | requests/s | CPU µs per request |");
				System.out.println("|---|---|---|---|");
				cpuPerRequest("runtime, POST /v1/chat/completions (proxied)", runtime.pid(),
						viaRuntime + "/v1/chat/completions", lua, seconds);
				cpuPerRequest("runtime, GET /health (Jetty + Felix HTTP, no upstream)", runtime.pid(),
						viaRuntime + "/health", null, seconds);
				cpuPerRequest("nginx worker, proxy_pass (serving the upstream too)", nginxWorker,
						viaNginx + "/v1/chat/completions", lua, seconds);

				int words = Integer.parseInt(System.getProperty("bench.stream.chunks", "20000"));
				String userText = "w ".repeat(words).strip();
				String streamBody = "{\"model\":\"%s\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
						+ userText + "\"}]}";
				System.out.println();
				System.out.println("| SSE stream, one connection | chunks | chunks/s |");
				System.out.println("|---|---|---|");
				for (int round = 0; round < 2; round++) {
					boolean report = round == 1;
					stream("direct", streamer.url() + "/v1/chat/completions", String.format(streamBody, "m"), report);
					stream("nginx proxy_pass", "http://127.0.0.1:" + streamProxyPort + "/v1/chat/completions",
							String.format(streamBody, "m"), report);
					stream("runtime (provider.openai)", runtime.base() + "/v1/chat/completions",
							String.format(streamBody, "stream:m"), report);
				}
			} finally {
				nginx.destroy();
				nginx.waitFor();
			}
		}
	}

	private static String nginxConf(int upstreamPort, int proxyPort, int streamProxyPort, int streamerPort, Path work) {
		return """
				worker_processes 1;
				pid %1$s/nginx.pid;
				error_log %1$s/logs/error.log warn;
				events { worker_connections 4096; }
				http {
				  access_log off;
				  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy;
				  fastcgi_temp_path %1$s/fastcgi; uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
				  keepalive_requests 1000000;
				  upstream fast { server 127.0.0.1:%2$d; keepalive 64; }
				  upstream streamer { server 127.0.0.1:%5$d; keepalive 8; }
				  server { listen 127.0.0.1:%2$d;
				    location / { default_type application/json; return 200 '%6$s'; } }
				  server { listen 127.0.0.1:%3$d;
				    location / { proxy_pass http://fast; proxy_http_version 1.1; proxy_set_header Connection ""; } }
				  server { listen 127.0.0.1:%4$d;
				    location / { proxy_pass http://streamer; proxy_http_version 1.1; proxy_set_header Connection "";
				      proxy_buffering off; } }
				}
				""".formatted(work, upstreamPort, proxyPort, streamProxyPort, streamerPort, COMPLETION);
	}

	private static void cpuPerRequest(String what, long pid, String url, Path lua, int seconds) throws Exception {
		long ticksPerSecond = Long.parseLong(new String(new ProcessBuilder("getconf", "CLK_TCK").start()
				.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
		long before = cpuTicks(pid);
		List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c32", "-d" + seconds + "s"));
		if (lua != null) {
			command.addAll(List.of("-s", lua.toString()));
		}
		command.add(url);
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor();
		long ticks = cpuTicks(pid) - before;
		Matcher m = Pattern.compile("(\\d+) requests in").matcher(out);
		if (!m.find() || out.contains("Non-2xx")) {
			throw new IllegalStateException("wrk on " + url + ":\n" + out);
		}
		long requests = Long.parseLong(m.group(1));
		System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f |%n", what, pid, requests / (double) seconds,
				ticks * 1e6 / ticksPerSecond / requests);
	}

	/** utime + stime of a process, all its threads, in clock ticks (proc(5): fields 14 and 15). */
	private static long cpuTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
	private static final Pattern PCT = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

	private record Raw(int connections, double rps, double p50, double p99) {
		Result named(String path) {
			return new Result(path, connections, rps, p50, p99);
		}
	}

	private static Raw wrk(String base, int connections, int seconds, Path lua) throws Exception {
		Process p = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", "-s",
				lua.toString(), base + "/v1/chat/completions").redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor();
		if (out.contains("Non-2xx")) {
			throw new IllegalStateException("errors from " + base + ":\n" + out);
		}
		System.err.printf(Locale.ROOT, "  %s, %d connections: %s%n", base, connections,
				out.lines().filter(l -> l.contains("Requests/sec") || l.matches("\\s+(50|99)(\\.000)?%.*"))
						.map(String::strip).reduce((a, b) -> a + "; " + b).orElse("?"));
		Matcher m = RPS.matcher(out);
		if (!m.find()) {
			throw new IllegalStateException("no result from wrk:\n" + out);
		}
		double rps = Double.parseDouble(m.group(1));
		double p50 = 0;
		double p99 = 0;
		Matcher pct = PCT.matcher(out);
		while (pct.find()) {
			double v = Double.parseDouble(pct.group(2)) * switch (pct.group(3)) {
			case "us" -> 1;
			case "ms" -> 1_000;
			default -> 1_000_000;
			};
			if (pct.group(1).equals("50")) {
				p50 = v;
			} else {
				p99 = v;
			}
		}
		return new Raw(connections, rps, p50, p99);
	}

	private static void stream(String name, String url, String body, boolean report) throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		long t0 = System.nanoTime();
		HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		int chunks = 0;
		try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				if (line.startsWith("data: {")) {
					chunks++;
				} else if (line.startsWith("data: [DONE]")) {
					break;
				}
			}
		}
		double secs = (System.nanoTime() - t0) / 1e9;
		if (r.statusCode() != 200 || chunks < 100) {
			throw new IllegalStateException(name + ": status " + r.statusCode() + ", " + chunks + " chunks");
		}
		if (report) {
			System.out.printf(Locale.ROOT, "| %s | %d | %.0f |%n", name, chunks, chunks / secs);
		}
	}

	private static void waitFor200(String url) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.currentTimeMillis() + 30_000;
		while (System.currentTimeMillis() < deadline) {
			try {
				HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
						.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY))
						.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
				if (r.statusCode() == 200) {
					return;
				}
			} catch (IOException notYet) {
				// starting
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("the runtime never answered 200 on " + url);
	}

	private static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0)) {
			return s.getLocalPort();
		}
	}
}
