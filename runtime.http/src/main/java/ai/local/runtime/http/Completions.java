package ai.local.runtime.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.api.PullProgress;
import ai.local.runtime.api.RerankRequest;
import ai.local.runtime.api.RerankResult;
import ai.local.runtime.api.ResultCollector;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolLoop;
import ai.local.runtime.api.ToolLoopLimits;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.api.Usage;
import ai.local.runtime.api.settings.SettingsReader;
import ai.local.runtime.http.sse.StreamingSink;

/**
 * The one completion path every endpoint uses: resolve the model, take a slot, call the provider under a
 * guard. A provider that throws anything but {@link ApiException} is logged with its bundle and answered with
 * 502; it never takes the router down.
 */
@Component(service = Completions.class, configurationPid = HttpConfig.PID)
public class Completions {
	private static final Logger LOG = LoggerFactory.getLogger(Completions.class);

	private static final long HEARTBEAT_SECONDS = 10;

	private final ProviderRegistry registry;
	private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "runtime.http SSE heartbeat");
		t.setDaemon(true);
		return t;
	});
	/** Heartbeats are written from here: one client that stops reading cannot hold up the others' heartbeats. */
	private final ExecutorService beatWriters = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "runtime.http SSE heartbeat writer");
		t.setDaemon(true);
		return t;
	});
	private final Metrics metrics;
	private final BundleContext context;
	private volatile Admission admission;

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private volatile ToolLoop toolLoop;

	@Activate
	public Completions(@Reference ProviderRegistry registry, @Reference Metrics metrics, BundleContext context,
			HttpConfig config) {
		this.registry = registry;
		this.metrics = metrics;
		this.context = context;
		configure(config);
	}

	@Modified
	void configure(HttpConfig config) {
		HttpSettings s = HttpSettings.of(config, SettingsReader.environment(context));
		Admission.Limits limits = new Admission.Limits(s.maxConcurrent(), s.maxQueued(), s.maxConcurrentPerProvider(),
				s.maxQueuedPerProvider(), Duration.ofSeconds(s.queueTimeoutSeconds()));
		if (admission == null) {
			admission = new Admission(limits, metrics.queued());
		} else {
			admission.configure(limits); // the running requests keep counting: a save never lifts the limit
		}
	}

	@Deactivate
	void stop() {
		heartbeats.shutdownNow();
		beatWriters.shutdownNow();
	}

	Route route(String model, RequestRecord record) {
		Route route = registry.resolve(model);
		record.route(route);
		if (!registry.routes(route.entry())) {
			// its provider went between the two lines above and may not wait for this request: route again
			route = registry.resolve(model);
			record.route(route);
		}
		return route;
	}

	ChatResult chat(Route route, ChatRequest request, RequestRecord record) {
		ChatRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		try (Admission.Slot slot = admit(route, record)) {
			ChatResult result = guarded(route, () -> route.entry().provider().chat(local));
			if (result == null || result.message() == null || result.finishReason() == null) {
				throw ApiException.upstream("Provider '" + route.providerName() + "' returned an incomplete result", null);
			}
			record.usage = result.usage();
			return result;
		}
	}

	/**
	 * Streams a completion into {@code sink}. A failure before the first event propagates (the caller answers
	 * with an ordinary HTTP error); after it, the sink reports it in-band and ends the stream.
	 */
	void stream(Route route, ChatRequest request, StreamingSink sink, RequestRecord record) {
		ChatRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		stream(route, sink, record, () -> route.entry().provider().stream(local, sink));
	}

	private void stream(Route route, StreamingSink sink, RequestRecord record, Runnable body) {
		record.streamed = true;
		try (Admission.Slot slot = admit(route, record)) {
			metrics.activeStreams().incrementAndGet();
			long idle = TimeUnit.SECONDS.toNanos(HEARTBEAT_SECONDS);
			ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> beatWriters.execute(() -> sink.keepAlive(idle)),
					HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
			try {
				guarded(route, () -> {
					body.run();
					return null;
				});
				if (!sink.finished() && !sink.cancelled()) {
					throw ApiException.upstream("Provider '" + route.providerName()
							+ "' ended the stream without finishing it", null);
				}
			} catch (ApiException e) {
				if (!sink.started()) {
					throw e;
				}
				record.failedStatus = e.status(); // the log and metrics tell the truth, not the 200 already sent
				sink.fail(e);
			} finally {
				beat.cancel(false);
				metrics.activeStreams().decrementAndGet();
				record.usage = sink.usage();
			}
		}
	}

	/** A text completion ({@link CompletionRequest}) streamed into {@code sink}, as {@link #stream}. */
	void complete(Route route, CompletionRequest request, StreamingSink sink, RequestRecord record) {
		CompletionRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		stream(route, sink, record, () -> route.entry().provider().complete(local, sink));
	}

	/** A whole text completion. */
	ChatResult complete(Route route, CompletionRequest request, RequestRecord record) {
		CompletionRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		try (Admission.Slot slot = admit(route, record)) {
			ResultCollector collected = new ResultCollector();
			guarded(route, () -> {
				route.entry().provider().complete(local, collected);
				return null;
			});
			if (!collected.finished()) {
				throw ApiException.upstream("Provider '" + route.providerName() + "' ended the completion without "
						+ "finishing it", null);
			}
			ChatResult result = collected.result();
			record.usage = result.usage();
			return result;
		}
	}

	/** Scores documents for a query ({@code /v1/rerank}). */
	RerankResult rerank(Route route, RerankRequest request, RequestRecord record) {
		RerankRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		try (Admission.Slot slot = admit(route, record)) {
			RerankResult result = guarded(route, () -> route.entry().provider().rerank(local));
			if (result == null || result.scores().length != request.documents().size()) {
				throw ApiException.upstream("Provider '" + route.providerName() + "' returned "
						+ (result == null ? "no" : result.scores().length) + " scores for " + request.documents().size()
						+ " documents", null);
			}
			record.usage = new Usage(result.promptTokens(), 0);
			return result;
		}
	}

	/** The request's prompt tokens, -1 when the provider cannot count them. */
	int countTokens(Route route, ChatRequest request, RequestRecord record) {
		ChatRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		return guarded(route, () -> route.entry().provider().countTokens(local));
	}

	Map<String, Object> metadata(Route route) {
		return guarded(route, () -> route.entry().provider().metadata(route.localModel()));
	}

	boolean delete(Route route) {
		return guarded(route, () -> route.entry().provider().delete(route.localModel()));
	}

	/**
	 * A slot for the request; a client that hung up while the request waited for it gets none, and its request is
	 * not dispatched.
	 */
	private Admission.Slot admit(Route route, RequestRecord record) {
		Admission.Slot slot = admission.enter(route.providerName());
		if (!record.clientPresent.getAsBoolean()) {
			slot.close();
			throw new ClientGone();
		}
		return slot;
	}

	/**
	 * Whether the request is for the server-side tool loop: it gave a loop key, names a tool a
	 * {@link ai.local.runtime.api.ToolSource} offers, or names a tool without a schema.
	 */
	boolean serverTools(ChatRequest request, ToolLoopLimits limits) {
		if (limits != null) {
			return true;
		}
		ToolLoop loop = toolLoop;
		if (loop == null) {
			return false;
		}
		for (ToolDefinition t : request.tools()) {
			// a tool named without a schema is a server-side tool even when no source offers it now (its MCP
			// server is down): the loop answers 400 for it instead of handing the model a tool it cannot describe
			if (t.parameters() == null || loop.offers(t.name())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Runs the server-side tool loop, whole ({@code sink} null) or streamed. A streamed run's end is held until
	 * {@code beforeFinish} has seen the result (the session is stored before the client sees the end).
	 */
	ToolLoopResult tools(Route route, ChatRequest request, ToolLoopLimits limits, StreamingSink sink,
			RequestRecord record, Consumer<ToolLoopResult> beforeFinish) {
		ToolLoop loop = toolLoop;
		if (loop == null) {
			throw ApiException.unavailable("Server-side tools need the runtime.toolloop bundle, which is not running",
					null);
		}
		ChatRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		ToolLoopLimits l = limits != null ? limits : ToolLoopLimits.DEFAULTS;
		if (sink == null) {
			try (Admission.Slot slot = admit(route, record)) {
				ToolLoopResult result = guarded(route, () -> loop.run(route.entry().provider(), local, l, null));
				record.usage = result.result().usage();
				countToolCalls(loop, result);
				beforeFinish.accept(result);
				return result;
			}
		}
		HeldFinish held = new HeldFinish(sink);
		ToolLoopResult[] result = new ToolLoopResult[1];
		stream(route, sink, record, () -> {
			result[0] = loop.run(route.entry().provider(), local, l, held);
			countToolCalls(loop, result[0]);
			if (!held.cancelled()) {
				beforeFinish.accept(result[0]);
				held.release();
			}
		});
		return result[0];
	}

	/** Counts the calls the server ran (those with a tool result in the transcript), by tool. */
	private void countToolCalls(ToolLoop loop, ToolLoopResult result) {
		Map<String, String> names = new HashMap<>();
		for (ChatMessage m : result.transcript()) {
			for (ToolCall call : m.toolCalls()) {
				names.put(call.id(), call.name());
			}
			if (ChatMessage.TOOL.equals(m.role())) {
				String name = names.get(m.toolCallId());
				// a name the model made up is not a label: the set of labels must stay bounded
				metrics.toolCall(name != null && loop.offers(name) ? name : "other");
			}
		}
	}

	EmbeddingResult embed(Route route, EmbeddingRequest request, RequestRecord record) {
		EmbeddingRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		try (Admission.Slot slot = admit(route, record)) {
			EmbeddingResult result = guarded(route, () -> route.entry().provider().embed(local));
			if (result == null || result.vectors().size() != request.size()) {
				throw ApiException.upstream("Provider '" + route.providerName() + "' returned "
						+ (result == null ? "no" : result.vectors().size()) + " vectors for " + request.size() + " inputs",
						null);
			}
			record.usage = new Usage(result.promptTokens(), 0);
			return result;
		}
	}

	/** The prompt the route's model would be given for the request (its provider renders prompts itself). */
	String applyTemplate(Route route, ChatRequest request, RequestRecord record) {
		ChatRequest local = request.withModel(route.localModel()).withCallerKey(record.callerKey);
		return guarded(route, () -> route.entry().provider().applyTemplate(local));
	}

	void load(Route route, String keepAlive) {
		guarded(route, () -> {
			route.entry().provider().load(route.localModel(), keepAlive);
			return null;
		});
	}

	void pull(Route route, Consumer<PullProgress> progress,
			BooleanSupplier cancelled) {
		guarded(route, () -> {
			route.entry().provider().pull(route.localModel(), progress, cancelled);
			return null;
		});
	}

	boolean unload(Route route) {
		return guarded(route, () -> route.entry().provider().unload(route.localModel()));
	}

	int[] tokenize(Route route, String text, boolean addSpecial) {
		return guarded(route, () -> route.entry().provider().tokenize(route.localModel(), text, addSpecial));
	}

	String detokenize(Route route, int[] tokens) {
		return guarded(route, () -> route.entry().provider().detokenize(route.localModel(), tokens));
	}

	List<byte[]> pieces(Route route, int[] tokens) {
		return guarded(route, () -> route.entry().provider().pieces(route.localModel(), tokens));
	}

	private <T> T guarded(Route route, Supplier<T> call) {
		try {
			return call.get();
		} catch (ApiException e) {
			if (e.status() >= 500) {
				// the operator needs to know which provider build failed; the client sees only the message
				LOG.warn("provider '{}' ({}) answered {} {}: {}", route.providerName(), route.entry().bundle(), e.status(),
						e.type().wireName(), e.getMessage());
			}
			throw e;
		} catch (RuntimeException | LinkageError e) {
			// LinkageError: the provider's bundle was stopped or uninstalled under a running request
			LOG.error("provider '{}' ({}) failed", route.providerName(), route.entry().bundle(), e);
			throw ApiException.upstream("Provider '" + route.providerName() + "' failed: " + e, e);
		}
	}
}
