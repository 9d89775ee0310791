package ai.local.runtime.llamacpp.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * The llama.cpp benchmark (a program, run by bench/llamacpp.sh): streamed decode speed through the runtime
 * against llama-server of the same llama.cpp release (same model, threads and slots, same request, alternating
 * runs); prompt processing against llama-bench pp512; a conversation's second-turn time to first token with
 * and without KV prefix reuse; the runtime's RSS over model switches. Each figure is a ratio against a baseline
 * measured in the same run. Speeds are measured on the generated F16 model and on its Q4_K_M quantization (made
 * with that release's llama-quantize): the weights' type decides which of ggml's kernels run.
 */
public final class LlamaBench {
	private static final int TOKENS = 256;
	private static final int RUNS = 5;
	private static final int PROMPT_ROUNDS = Integer.getInteger("bench.prompt.rounds", 7);
	private static final int THREADS = Integer.getInteger("bench.threads", 2);

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(System.getProperty("bench.dir", "target/bench"));
		Path models = dir.resolve("models");
		Path model = models.resolve("bench/model.gguf");
		if (!Files.exists(model)) {
			TinyLlama.bench("bench", 1).write(model);
			TinyLlama.bench("bench-b", 2).write(models.resolve("bench-b/model.gguf"));
		}
		Path quantized = models.resolve("bench-q4/model.gguf");
		if (!Files.exists(quantized)) {
			quantize(model, quantized, "Q4_K_M");
		}
		System.out.printf("models: bench %d MB (F16), bench-q4 %d MB (Q4_K_M); threads %d%n", Files.size(model) >> 20,
				Files.size(quantized) >> 20, THREADS);
		String sections = System.getProperty("bench.sections", "decode,turn,rss");
		if (sections.contains("decode")) {
			decodeSpeed("bench", model, models);
			decodeSpeed("bench-q4", quantized, models);
		}
		if (sections.contains("turn")) {
			secondTurn(models);
		}
		if (sections.contains("rss")) {
			rssOverSwitches(models, 1);
			rssOverSwitches(models, 2);
		}
	}

	private static void quantize(Path from, Path to, String type) throws Exception {
		Files.createDirectories(to.getParent());
		Process p = new ProcessBuilder(System.getProperty("bench.llama.quantize"), from.toString(), to.toString(), type)
				.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		if (p.waitFor() != 0) {
			Files.deleteIfExists(to);
			throw new IllegalStateException("llama-quantize " + type + " failed for " + from);
		}
	}

	/** Streamed tokens per second between the first and the last piece: llama-server and the runtime, interleaved. */
	private static void decodeSpeed(String id, Path model, Path models) throws Exception {
		String server = System.getProperty("bench.llama.server");
		int port = 18000 + (int) (ProcessHandle.current().pid() % 1000);
		Process baseline = new ProcessBuilder(server, "-m", model.toString(), "-t", Integer.toString(THREADS), "-tb",
				Integer.toString(THREADS), "-np", "1", "-c", "4096", "--port", Integer.toString(port), "--host",
				"127.0.0.1", "--no-webui").redirectErrorStream(true)
				.redirectOutput(Files.createTempFile("llama-server", ".log").toFile()).start();
		try (RuntimeProcess runtime = start(models, Map.of("LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_CTX", "4096"))) {
			Http http = new Http(runtime.base());
			String reference = "http://127.0.0.1:" + port;
			for (int i = 0; i < 300 && status(new Http(reference), "/health") != 200; i++) {
				Thread.sleep(100);
			}
			for (String endpoint : List.of("/v1/completions", "/v1/chat/completions")) {
				decodeSpeed(id, endpoint, http, reference);
			}
			promptSpeed(http, id, model);
		} finally {
			baseline.destroy();
			baseline.waitFor();
		}
	}

	/**
	 * Prompt tokens per second of a cold ~512-token prompt (time to first token) against llama-bench pp512, in
	 * alternating rounds (llama-bench's mean of 3, then 3 requests), so that load from elsewhere on a shared host
	 * falls on both sides; the ratio is the median of the rounds' ratios.
	 */
	private static void promptSpeed(Http http, String id, Path model) throws Exception {
		String text = "The quick brown fox jumps over the lazy dog near the river bank. ".repeat(21); // < 512 tokens with the template: one micro-batch, as pp512
		List<Double> baseline = new ArrayList<>(), runtime = new ArrayList<>(), ratios = new ArrayList<>();
		List<Double> engine = new ArrayList<>(), engineRatios = new ArrayList<>();
		int promptTokens = 0;
		coldPrompt(http, id, text, -1); // warm-up
		for (int round = 0; round < PROMPT_ROUNDS; round++) {
			double reference = llamaBenchPp512(model);
			List<Double> rates = new ArrayList<>(), engineRates = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				Prompt p = coldPrompt(http, id, text, round * 3 + i);
				promptTokens = p.tokens();
				rates.add(p.tokens() / (p.firstTokenNanos() / 1e9));
				engineRates.add(p.engineRate());
			}
			baseline.add(reference);
			runtime.add(median(rates));
			ratios.add(median(rates) / reference);
			engine.add(median(engineRates));
			engineRatios.add(median(engineRates) / reference);
		}
		System.out.printf("%s prompt processing (%d rounds): llama-bench pp512 %.1f tok/s, runtime %.1f tok/s (%d-token "
				+ "prompt, time to first token incl. HTTP and template), ratio %.3f (rounds: %s)%n", id, PROMPT_ROUNDS,
				median(baseline), median(runtime), promptTokens, median(ratios),
				ratios.stream().map(r -> String.format("%.2f", r)).toList());
		System.out.printf("%s prompt processing in the engine (the answers' timings.prompt_per_second: from the decode "
				+ "loop taking the request to its first token): %.1f tok/s, ratio %.3f (rounds: %s)%n", id, median(engine),
				median(engineRatios), engineRatios.stream().map(r -> String.format("%.2f", r)).toList());
	}

	private static double llamaBenchPp512(Path model) throws Exception {
		Process p = new ProcessBuilder(System.getProperty("bench.llama.bench"), "-m", model.toString(), "-t",
				Integer.toString(THREADS), "-p", "512", "-n", "0", "-r", "3", "-o", "json")
				.redirectError(ProcessBuilder.Redirect.DISCARD).start();
		double rate = Http.JSON.readTree(p.getInputStream().readAllBytes()).get(0).get("avg_ts").asDouble();
		p.waitFor();
		return rate;
	}

	private record Prompt(int tokens, long firstTokenNanos, double engineRate) {
	}

	/** A prompt that nothing cached can shorten: its token count and the time its first token took. */
	private static Prompt coldPrompt(Http http, String id, String text, int salt) throws Exception {
		String body = "{\"model\":\"" + id + "\",\"stream\":true,\"max_tokens\":1,\"ignore_eos\":true,\"cache_prompt\":false,"
				+ "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"" + salt + " "
				+ text + "\"}]}";
		List<Http.Event> events = http.stream("/v1/chat/completions", body);
		// the one token's piece, or the end of the stream when the piece is held back (half a UTF-8 character)
		long first = events.stream().filter(e -> e != null && !e.data().at("/choices/0/delta/content").asText("").isEmpty())
				.findFirst().orElse(events.stream().filter(e -> e != null).reduce((a, b) -> b).orElseThrow()).nanos();
		JsonNode last = events.stream().filter(e -> e != null && e.data().has("usage") && !e.data().get("usage").isNull())
				.findFirst().orElseThrow().data();
		return new Prompt(last.at("/usage/prompt_tokens").asInt(), first, last.at("/timings/prompt_per_second").asDouble());
	}

	private static int status(Http http, String path) {
		try {
			return http.get(path).statusCode();
		} catch (Exception e) {
			return 0;
		}
	}

	/**
	 * Both servers on one endpoint, alternating runs (a new connection per llama-server request: it closes a kept-alive
	 * one after a stream).
	 */
	private static void decodeSpeed(String id, String endpoint, Http runtime, String reference) throws Exception {
		try {
			httpRun(runtime, id, endpoint); // warm-up (and load)
			httpRun(new Http(reference), id, endpoint);
			List<Double> serverRates = new ArrayList<>(), runtimeRates = new ArrayList<>();
			for (int i = 0; i < RUNS; i++) {
				serverRates.add(httpRun(new Http(reference), id, endpoint));
				runtimeRates.add(httpRun(runtime, id, endpoint));
			}
			double r = median(serverRates), h = median(runtimeRates);
			System.out.printf("%s decode on %s (%d tokens, streamed): llama-server %.1f tok/s, runtime %.1f tok/s, "
					+ "ratio %.3f%n", id, endpoint, TOKENS, r, h, h / r);
		} catch (IllegalStateException e) {
			System.out.printf("%s decode on %s: not measured: %s%n", id, endpoint, e.getMessage());
		}
	}

	/**
	 * The generated models' unprintable byte tokens (TinyLlama biases them away, which quantization can undo) banned
	 * for both servers: llama-server breaks a stream off with a 500 at a piece that is not valid UTF-8.
	 */
	private static final String NO_BYTE_TOKENS = java.util.stream.IntStream.range(0, 256)
			.filter(t -> t < 0x20 && t != '\n' || t >= 0x7f).mapToObj(t -> "\"" + t + "\":-100")
			.collect(java.util.stream.Collectors.joining(",", "{", "}"));

	/** Streamed pieces per second between the first and the last piece of a 256-token answer. */
	private static double httpRun(Http http, String model, String endpoint) throws Exception {
		boolean chat = endpoint.endsWith("/chat/completions");
		String input = chat ? "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}]"
				: "\"prompt\":\"Tell me a story.\"";
		List<Http.Event> events = http.stream(endpoint, "{\"model\":\"" + model + "\",\"stream\":true,"
				+ "\"max_tokens\":" + TOKENS + ",\"ignore_eos\":true,\"seed\":1,\"cache_prompt\":false,\"logit_bias\":"
				+ NO_BYTE_TOKENS + "," + input + "}");
		String piece = chat ? "/choices/0/delta/content" : "/choices/0/text";
		for (Http.Event e : events) {
			if (e != null && e.data().has("error")) {
				throw new IllegalStateException(http.base() + " broke the stream off: " + e.data().get("error"));
			}
		}
		List<Long> times = events.stream().filter(e -> e != null && !e.data().at(piece).asText("").isEmpty())
				.map(Http.Event::nanos).toList();
		if (times.size() < TOKENS * 3 / 4) {
			throw new IllegalStateException(http.base() + " streamed " + times.size() + " pieces for " + TOKENS + " tokens");
		}
		return (times.size() - 1) / ((times.get(times.size() - 1) - times.get(0)) / 1e9);
	}

	/** Time to first token of a conversation's second turn, with and without the first turn's KV prefix. */
	private static void secondTurn(Path models) throws Exception {
		try (RuntimeProcess runtime = start(models, Map.of("LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_CTX", "4096"))) {
			Http http = new Http(runtime.base());
			List<Double> reuse = new ArrayList<>(), cold = new ArrayList<>();
			for (int i = 0; i < RUNS * 2; i++) {
				boolean cache = i % 2 == 0;
				String system = "Conversation " + i + ". " + "You are a helpful assistant who answers briefly. ".repeat(80);
				String turn1 = "[{\"role\":\"system\",\"content\":\"" + system + "\"},{\"role\":\"user\",\"content\":\"Hello\"}]";
				List<Http.Event> first = http.stream("/v1/chat/completions", "{\"model\":\"bench\",\"stream\":true,"
						+ "\"max_tokens\":16,\"seed\":1,\"messages\":" + turn1 + "}");
				StringBuilder reply = new StringBuilder();
				first.stream().filter(e -> e != null).forEach(e -> reply.append(e.data().at("/choices/0/delta/content").asText("")));
				String turn2 = turn1.substring(0, turn1.length() - 1) + ",{\"role\":\"assistant\",\"content\":"
						+ Http.JSON.writeValueAsString(reply.toString()) + "},{\"role\":\"user\",\"content\":\"And then?\"}]";
				List<Http.Event> second = http.stream("/v1/chat/completions", "{\"model\":\"bench\",\"stream\":true,"
						+ "\"max_tokens\":4,\"seed\":1,\"cache_prompt\":" + cache + ",\"messages\":" + turn2 + "}");
				long ttft = second.stream().filter(e -> e != null && !e.data().at("/choices/0/delta/content").asText("").isEmpty())
						.findFirst().orElseThrow().nanos();
				(cache ? reuse : cold).add(ttft / 1e6);
			}
			double r = median(reuse), c = median(cold);
			System.out.printf("second turn (~%d prompt tokens): time to first token %.1f ms with prefix reuse, %.1f ms without, %.1fx faster%n",
					1000, r, c, c / r);
		}
	}

	/** RSS of the runtime while requests alternate between two models, 10 switches. */
	private static void rssOverSwitches(Path models, int maxLoaded) throws Exception {
		try (RuntimeProcess runtime = start(models, Map.of("LLAMA_CPP_MAX_LOADED_MODELS", Integer.toString(maxLoaded),
				"LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_CTX", "2048"))) {
			Http http = new Http(runtime.base());
			List<Long> rss = new ArrayList<>();
			for (int i = 0; i <= 10; i++) {
				String id = i % 2 == 0 ? "bench" : "bench-b";
				http.postOk("/v1/chat/completions", "{\"model\":\"" + id + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
				rss.add(rssMb(runtime.pid()));
			}
			System.out.printf("RSS over 10 switches between two 55 MB models, max.loaded.models=%d: %s MB (growth after the first switch: %d MB)%n",
					maxLoaded, rss, rss.get(rss.size() - 1) - rss.get(1));
		}
	}

	private static RuntimeProcess start(Path models, Map<String, String> extra) throws Exception {
		Path providers = Path.of(System.getProperty("repo.root")).resolve("launcher/target/providers");
		List<Path> jars;
		try (var s = Files.list(providers)) {
			jars = s.filter(p -> p.toString().endsWith(".jar")).toList();
		}
		Map<String, String> env = new java.util.HashMap<>(extra);
		env.put("LLAMA_CPP_MODEL", models.toString());
		env.put("LLAMA_CPP_N_THREADS", Integer.toString(THREADS));
		RuntimeProcess runtime = RuntimeProcess.start(env, jars);
		Http http = new Http(runtime.base());
		for (int i = 0; i < 300 && http.get("/health/ready").statusCode() != 200; i++) {
			Thread.sleep(100);
		}
		return runtime;
	}

	private static long rssMb(long pid) throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
			}
		}
		return -1;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}
}
