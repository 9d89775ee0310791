package ai.local.runtime.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.osgi.service.component.annotations.Component;

/** Request counters, latency histograms and token totals, rendered as Prometheus text by {@link MetricsServlet}. */
@Component(service = Metrics.class)
public class Metrics {
	private static final double[] BUCKETS = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120 };

	private record RequestKey(String endpoint, String provider, String model, int status) {
	}

	private record ModelKey(String provider, String model) {
	}

	/** Counts per bucket (one increment per observation); Prometheus' cumulative counts are summed when rendered. */
	private static final class Histogram {
		final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
		final AtomicLong sumNanos = new AtomicLong();

		void observe(long nanos) {
			double seconds = nanos / 1e9;
			int i = 0;
			while (i < BUCKETS.length && seconds > BUCKETS[i]) {
				i++;
			}
			counts.incrementAndGet(i);
			sumNanos.addAndGet(nanos);
		}
	}

	private final Map<RequestKey, AtomicLong> requests = new ConcurrentHashMap<>();
	private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
	private final Map<ModelKey, AtomicLong[]> tokens = new ConcurrentHashMap<>();
	private final Map<String, AtomicLong> toolCalls = new ConcurrentHashMap<>();
	private final AtomicInteger active = new AtomicInteger();
	private final AtomicInteger activeStreams = new AtomicInteger();
	private final AtomicInteger queued = new AtomicInteger();

	void started() {
		active.incrementAndGet();
	}

	void finished(RequestRecord r, int status, long nanos) {
		active.decrementAndGet();
		String provider = r.provider == null ? "" : r.provider;
		// an unknown model id is the client's text: keep it out of the labels, or they grow without bound
		String model = r.model == null || status == 404 ? "" : r.model;
		requests.computeIfAbsent(new RequestKey(r.endpoint, provider, model, status), k -> new AtomicLong())
				.incrementAndGet();
		latency.computeIfAbsent(r.endpoint, k -> new Histogram()).observe(nanos);
		if (r.usage != null && r.provider != null) {
			AtomicLong[] t = tokens.computeIfAbsent(new ModelKey(provider, model),
					k -> new AtomicLong[] { new AtomicLong(), new AtomicLong(), new AtomicLong() });
			t[0].addAndGet(r.usage.promptTokens());
			t[1].addAndGet(r.usage.completionTokens());
			t[2].addAndGet(r.usage.cachedTokens());
		}
	}

	void toolCall(String tool) {
		toolCalls.computeIfAbsent(tool, k -> new AtomicLong()).incrementAndGet();
	}

	AtomicInteger activeStreams() {
		return activeStreams;
	}

	AtomicInteger queued() {
		return queued;
	}

	String render() {
		StringBuilder sb = new StringBuilder(4096);
		sb.append("# HELP runtime_requests_total API requests by endpoint, provider, model and status.\n");
		sb.append("# TYPE runtime_requests_total counter\n");
		new TreeMap<String, Long>(flatten()).forEach((labels, v) -> sb.append("runtime_requests_total").append(labels)
				.append(' ').append(v).append('\n'));
		sb.append("# HELP runtime_request_duration_seconds API request duration by endpoint.\n");
		sb.append("# TYPE runtime_request_duration_seconds histogram\n");
		new TreeMap<>(latency).forEach((endpoint, h) -> {
			String ep = "endpoint=\"" + escape(endpoint) + "\"";
			long cumulative = 0;
			for (int i = 0; i < BUCKETS.length; i++) {
				cumulative += h.counts.get(i);
				sb.append("runtime_request_duration_seconds_bucket{").append(ep).append(",le=\"").append(BUCKETS[i])
						.append("\"} ").append(cumulative).append('\n');
			}
			cumulative += h.counts.get(BUCKETS.length);
			sb.append("runtime_request_duration_seconds_bucket{").append(ep).append(",le=\"+Inf\"} ")
					.append(cumulative).append('\n');
			sb.append("runtime_request_duration_seconds_sum{").append(ep).append("} ").append(h.sumNanos.get() / 1e9)
					.append('\n');
			sb.append("runtime_request_duration_seconds_count{").append(ep).append("} ").append(cumulative)
					.append('\n');
		});
		sb.append("# HELP runtime_tokens_total Tokens by provider, model and direction (prompt = in, completion = out, cached = the part of prompt a KV cache held).\n");
		sb.append("# TYPE runtime_tokens_total counter\n");
		tokens.forEach((k, v) -> {
			String labels = "provider=\"" + escape(k.provider()) + "\",model=\"" + escape(k.model()) + "\"";
			sb.append("runtime_tokens_total{").append(labels).append(",direction=\"prompt\"} ").append(v[0].get()).append('\n');
			sb.append("runtime_tokens_total{").append(labels).append(",direction=\"completion\"} ").append(v[1].get())
					.append('\n');
			sb.append("runtime_tokens_total{").append(labels).append(",direction=\"cached\"} ").append(v[2].get())
					.append('\n');
		});
		sb.append("# HELP runtime_tool_calls_total Tool calls the server-side tool loop ran, by tool.\n");
		sb.append("# TYPE runtime_tool_calls_total counter\n");
		new TreeMap<>(toolCalls).forEach((tool, v) -> sb.append("runtime_tool_calls_total{tool=\"").append(escape(tool))
				.append("\"} ").append(v.get()).append('\n'));
		gauge(sb, "runtime_active_requests", "API requests in progress.", active.get());
		gauge(sb, "runtime_active_streams", "Streaming responses in progress.", activeStreams.get());
		gauge(sb, "runtime_queued_requests", "Model requests waiting for a free slot.", queued.get());
		return sb.toString();
	}

	private Map<String, Long> flatten() {
		Map<String, Long> out = new TreeMap<>();
		requests.forEach((k, v) -> out.put("{endpoint=\"" + escape(k.endpoint()) + "\",provider=\"" + escape(k.provider())
				+ "\",model=\"" + escape(k.model()) + "\",status=\"" + k.status() + "\"}", v.get()));
		return out;
	}

	private static void gauge(StringBuilder sb, String name, String help, long value) {
		sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
		sb.append("# TYPE ").append(name).append(" gauge\n");
		sb.append(name).append(' ').append(value).append('\n');
	}

	static String escape(String s) {
		return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
	}
}
