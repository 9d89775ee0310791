package ai.local.runtime.llamacpp.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;

import ai.local.runtime.testing.gguf.TinyLlama;
import ai.local.runtime.testing.process.RuntimeProcess;

/**
 * The llama.cpp benchmark (a program, run by bench/llamacpp.sh): decode speed through HTTP streaming against
 * raw java-llama.cpp on the same ~55 MB model and threads; a conversation's second-turn time to first token
 * with and without KV prefix reuse; the runtime's RSS over model switches. Each figure is a ratio against a
 * baseline measured in the same run.
 */
public final class LlamaBench {
	private static final int TOKENS = 256;
	private static final int RUNS = 5;
	private static final int THREADS = Integer.getInteger("bench.threads", 2);

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(System.getProperty("bench.dir", "target/bench"));
		Path models = dir.resolve("models");
		Path model = models.resolve("bench/model.gguf");
		if (!Files.exists(model)) {
			TinyLlama.bench("bench", 1).write(model);
			TinyLlama.bench("bench-b", 2).write(models.resolve("bench-b/model.gguf"));
		}
		System.out.printf("model %s: %d MB, threads %d%n", model, Files.size(model) >> 20, THREADS);
		String sections = System.getProperty("bench.sections", "decode,turn,rss");
		if (sections.contains("decode")) {
			decodeSpeed(model, models);
		}
		if (sections.contains("turn")) {
			secondTurn(models);
		}
		if (sections.contains("rss")) {
			rssOverSwitches(models, 1);
			rssOverSwitches(models, 2);
		}
	}

	/** Tokens per second between the first and the last piece, raw and through HTTP, interleaved. */
	private static void decodeSpeed(Path model, Path models) throws Exception {
		System.setProperty("de.kherud.llama.tmpdir", Files.createTempDirectory("jllama").toString());
		LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {
		});
		LlamaModel raw = new LlamaModel(new ModelParameters().setModel(model.toString()).setCtxSize(4096)
				.setParallel(1).enableContBatching().setThreads(THREADS).setThreadsBatch(THREADS).skipWarmup());
		String prompt = raw.applyTemplate("{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}]}");
		rawRun(raw, prompt); // warm-up
		try (RuntimeProcess runtime = start(models, Map.of("LLAMA_CPP_PARALLEL", "1", "LLAMA_CPP_N_CTX", "4096"))) {
			Http http = new Http(runtime.base());
			httpRun(http); // warm-up (and load)
			List<Double> rawRates = new ArrayList<>(), httpRates = new ArrayList<>();
			for (int i = 0; i < RUNS; i++) {
				rawRates.add(rawRun(raw, prompt));
				httpRates.add(httpRun(http));
			}
			double r = median(rawRates), h = median(httpRates);
			System.out.printf("decode: raw java-llama.cpp %.1f tok/s, through HTTP streaming %.1f tok/s, ratio %.3f%n", r, h, h / r);
		}
	}

	private static double rawRun(LlamaModel raw, String prompt) {
		InferenceParameters p = new InferenceParameters(prompt).setNPredict(TOKENS).setIgnoreEos(true).setSeed(1)
				.setCachePrompt(false);
		long first = 0, last = 0;
		int n = 0;
		for (LlamaOutput o : raw.generate(p)) {
			last = System.nanoTime();
			if (n++ == 0) {
				first = last;
			}
		}
		return (n - 2) / ((last - first) / 1e9); // the last output is the (empty) end marker
	}

	private static double httpRun(Http http) throws Exception {
		List<Http.Event> events = http.stream("/v1/chat/completions", "{\"model\":\"bench\",\"stream\":true,"
				+ "\"max_tokens\":" + TOKENS + ",\"ignore_eos\":true,\"seed\":1,\"cache_prompt\":false,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}]}");
		List<Long> times = events.stream().filter(e -> e != null && !e.data().at("/choices/0/delta/content").asText("").isEmpty())
				.map(Http.Event::nanos).toList();
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
