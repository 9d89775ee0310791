package ai.local.runtime.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatProvider;

/**
 * Pulls started from the console: each runs on a thread of its own while the page polls its progress (status,
 * bytes done of total, error); finished ones stay listed for a while so the page can show how they ended.
 */
final class PullJobs {
	private static final int KEPT = 20;

	private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "console pull");
		t.setDaemon(true);
		return t;
	});
	private final Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();

	/** Starts pulling {@code model} with {@code provider} unless a pull of it runs already. */
	synchronized void start(String providerName, ChatProvider provider, String model) {
		Map<String, Object> running = jobs.get(model);
		if (running != null && !Boolean.TRUE.equals(running.get("done"))) {
			return;
		}
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("model", model);
		job.put("provider", providerName);
		job.put("status", "starting");
		job.put("started", Instant.now().toString());
		job.put("done", false);
		jobs.remove(model);
		jobs.put(model, job);
		while (jobs.size() > KEPT) {
			jobs.remove(jobs.keySet().iterator().next());
		}
		threads.execute(() -> {
			try {
				provider.pull(model, p -> update(job, Map.of("status", p.status(), "total", p.total(), "completed",
						p.completed())), () -> false);
			} catch (ApiException e) {
				update(job, Map.of("error", e.getMessage()));
			} catch (RuntimeException | LinkageError e) {
				update(job, Map.of("error", e.toString()));
			} finally {
				update(job, Map.of("done", true));
			}
		});
	}

	private synchronized void update(Map<String, Object> job, Map<String, Object> values) {
		job.putAll(values);
	}

	synchronized List<Map<String, Object>> list() {
		List<Map<String, Object>> out = new ArrayList<>();
		jobs.values().forEach(j -> out.add(new LinkedHashMap<>(j)));
		return out;
	}

	void close() {
		threads.shutdownNow();
	}
}
