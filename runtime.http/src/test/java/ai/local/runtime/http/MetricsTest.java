package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class MetricsTest {

	@Test
	void latencyBucketsAreCumulativeAsPrometheusReadsThem() {
		Metrics metrics = new Metrics();
		for (long millis : new long[] { 3, 20, 2_000, 200_000, 5 }) {
			metrics.started();
			metrics.finished(new RequestRecord("chat/completions", null), 200, TimeUnit.MILLISECONDS.toNanos(millis));
		}
		String text = metrics.render();
		String bucket = "runtime_request_duration_seconds_bucket{endpoint=\"chat/completions\",le=\"";
		for (String line : new String[] { bucket + "0.005\"} 2", bucket + "0.01\"} 2", bucket + "0.025\"} 3",
				bucket + "1.0\"} 3", bucket + "2.5\"} 4", bucket + "120.0\"} 4", bucket + "+Inf\"} 5",
				"runtime_request_duration_seconds_count{endpoint=\"chat/completions\"} 5",
				"runtime_request_duration_seconds_sum{endpoint=\"chat/completions\"} 202.028",
				"runtime_active_requests 0" }) {
			assertTrue(text.contains(line + "\n"), line + " in\n" + text);
		}
	}
}
