package ai.local.runtime.toolloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolResult;

/**
 * The tools one request may use: the ones it names (the allowlist). A name a {@link ToolSource} offers is a
 * server tool, its schema filled in from the source when the request gave none; any other named tool with a
 * schema is the client's own, handed back to it; a name with neither is refused before the model runs.
 */
final class ToolBox {

	/** What running one call gave, and how long it took. */
	record Outcome(ToolResult result, String source, long millis) {
	}

	private final Map<String, ToolCatalog.Entry> server = new LinkedHashMap<>();
	private final Map<String, ToolDefinition> client = new LinkedHashMap<>();
	private final List<ToolDefinition> definitions = new ArrayList<>();
	private final ExecutorService executor;
	private final Duration timeout;

	ToolBox(List<ToolDefinition> named, ToolCatalog catalog, ExecutorService executor, Duration timeout) {
		this.executor = executor;
		this.timeout = timeout;
		List<String> unknown = new ArrayList<>();
		for (ToolDefinition t : named) {
			var entry = catalog.find(t.name());
			if (entry.isPresent()) {
				server.put(t.name(), entry.get());
				definitions.add(t.parameters() != null ? t : entry.get().definition());
			} else if (t.parameters() != null) {
				client.put(t.name(), t);
				definitions.add(t);
			} else {
				unknown.add(t.name());
			}
		}
		if (!unknown.isEmpty()) {
			throw new UnknownTools(unknown);
		}
	}

	/** Tools the request names that nothing here offers and the request gave no schema for. */
	static final class UnknownTools extends RuntimeException {
		private static final long serialVersionUID = 1L;
		final List<String> names;

		UnknownTools(List<String> names) {
			super(String.join(", ", names));
			this.names = List.copyOf(names);
		}
	}

	/** Every allowed tool with its schema, as the model is shown them. */
	List<ToolDefinition> definitions() {
		return definitions;
	}

	boolean isServerTool(String name) {
		return server.containsKey(name);
	}

	boolean isClientTool(String name) {
		return client.containsKey(name);
	}

	Map<String, Object> schema(String name) {
		for (ToolDefinition d : definitions) {
			if (d.name().equals(name)) {
				return d.parameters();
			}
		}
		return null;
	}

	/** Starts a server tool call; {@link #await} gives its outcome. Never throws. */
	Future<Outcome> start(String name, String arguments) {
		ToolCatalog.Entry entry = server.get(name);
		if (entry == null) {
			return CompletableFuture.completedFuture(new Outcome(new ToolResult("tool '" + name
					+ "' is not available; the tools are: " + String.join(", ", server.keySet()), true), null, 0));
		}
		return executor.submit(() -> {
			long t0 = System.nanoTime();
			ToolResult r;
			try {
				r = entry.source().call(name, arguments, timeout);
				if (r == null) {
					r = new ToolResult("tool '" + name + "' returned nothing", true);
				}
			} catch (RuntimeException | LinkageError e) {
				r = new ToolResult("tool '" + name + "' failed: " + e.getMessage(), true);
			}
			return new Outcome(r, entry.source().name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
		});
	}

	/** The call's outcome, or a timeout error once the per-tool time is up (the call is then abandoned). */
	Outcome await(String name, Future<Outcome> call) {
		try {
			// the source enforces the timeout itself; the grace covers sources that do not
			return call.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		} catch (TimeoutException e) {
			call.cancel(true);
			return new Outcome(new ToolResult("tool '" + name + "' timed out after " + timeout.toMillis() + " ms",
					true), server.get(name).source().name(), timeout.toMillis());
		} catch (ExecutionException e) {
			return new Outcome(new ToolResult("tool '" + name + "' failed: " + e.getCause(), true), null, 0);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return new Outcome(new ToolResult("interrupted", true), null, 0);
		}
	}
}
