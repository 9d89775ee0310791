package ai.local.runtime.mcp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolResult;
import ai.local.runtime.api.ToolServerStatus;

/**
 * One MCP server: connects (initialize, then tools/list page by page), keeps the tool list, calls tools with at
 * most {@code maxInFlight} running, and reconnects with backoff whenever the server is lost. State changes are
 * reported to {@code onChange}.
 */
final class McpConnection {
	private static final Logger LOG = LoggerFactory.getLogger(McpConnection.class);
	private static final Duration FIRST_RETRY = Duration.ofMillis(500);

	enum State {
		CONNECTING, CONNECTED, DOWN, CLOSED
	}

	final McpSettings settings;
	final int ordinal;
	private final ScheduledExecutorService scheduler;
	private final Consumer<McpConnection> onChange;
	private final Semaphore inFlight;

	private McpAsyncClient client;
	private State state = State.CONNECTING;
	private String error;
	private Instant since = Instant.now();
	private List<McpSchema.Tool> tools = List.of();
	private volatile Map<String, McpSchema.Tool> exposed = Map.of();
	private Duration backoff = FIRST_RETRY;
	private ScheduledFuture<?> pending;

	McpConnection(McpSettings settings, int ordinal, ScheduledExecutorService scheduler,
			Consumer<McpConnection> onChange) {
		this.settings = settings;
		this.ordinal = ordinal;
		this.scheduler = scheduler;
		this.onChange = onChange;
		this.inFlight = new Semaphore(settings.maxInFlight());
	}

	synchronized void start() {
		schedule(Duration.ZERO);
	}

	synchronized State state() {
		return state;
	}

	synchronized String error() {
		return error;
	}

	synchronized Instant since() {
		return since;
	}

	synchronized List<McpSchema.Tool> tools() {
		return tools;
	}

	/** The tools by the names they go by across all servers (see {@link McpServers}). */
	Map<String, McpSchema.Tool> exposed() {
		return exposed;
	}

	void exposed(Map<String, McpSchema.Tool> names) {
		exposed = names;
	}

	/** Lists the tools again, or reconnects at once when the server is down. */
	/** Its state and tools (under their exposed names) as operators see them. */
	ToolServerStatus status() {
		return new ToolServerStatus(settings.name(), settings.transport().label, settings.address(),
				state().name().toLowerCase(Locale.ROOT), since(), error(), definitions());
	}

	/** Its tools under their exposed names, with their schemas. */
	List<ToolDefinition> definitions() {
		return exposed().entrySet().stream().map(e -> McpJson.definition(e.getKey(), e.getValue())).toList();
	}

	void refresh() {
		McpAsyncClient c;
		synchronized (this) {
			if (state == State.CLOSED) {
				return;
			}
			if (state != State.CONNECTED) {
				backoff = FIRST_RETRY;
				schedule(Duration.ZERO);
				return;
			}
			c = client;
		}
		try {
			List<McpSchema.Tool> listed = listTools(c);
			synchronized (this) {
				tools = listed;
			}
			onChange.accept(this);
		} catch (RuntimeException e) {
			lost(c, e);
		}
	}

	ToolResult call(String tool, String arguments, Duration timeout) {
		McpAsyncClient c;
		synchronized (this) {
			if (state != State.CONNECTED) {
				return new ToolResult("MCP server '" + settings.name() + "' is not connected"
						+ (error == null ? "" : ": " + error), true);
			}
			c = client;
		}
		long started = System.nanoTime();
		try {
			if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				return new ToolResult("MCP server '" + settings.name() + "' is busy: " + settings.maxInFlight()
						+ " calls already running", true);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return new ToolResult("interrupted", true);
		}
		try {
			Duration left = timeout.minusNanos(System.nanoTime() - started);
			McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, McpJson.arguments(arguments), null))
					.timeout(left.isNegative() ? Duration.ZERO : left).block();
			return McpJson.result(r);
		} catch (McpJson.BadArguments e) {
			return new ToolResult(e.getMessage(), true);
		} catch (RuntimeException e) {
			Throwable cause = Exceptions.unwrap(e);
			if (cause instanceof TimeoutException) {
				return new ToolResult("tool '" + tool + "' timed out after " + timeout.toMillis() + " ms", true);
			}
			if (cause instanceof McpError mcp) {
				return new ToolResult(mcp.getMessage(), true);
			}
			lost(c, cause);
			return new ToolResult("MCP server '" + settings.name() + "' failed: " + describe(cause), true);
		} finally {
			inFlight.release();
		}
	}

	void close() {
		McpAsyncClient c;
		synchronized (this) {
			state = State.CLOSED;
			if (pending != null) {
				pending.cancel(false);
			}
			c = client;
			client = null;
		}
		closeQuietly(c);
	}

	private void connect() {
		McpAsyncClient c;
		synchronized (this) {
			if (state == State.CLOSED) {
				return;
			}
			c = McpClient.async(McpTransports.create(settings)).requestTimeout(settings.requestTimeout())
					.initializationTimeout(settings.connectTimeout()).jsonSchemaValidator(McpJson.VALIDATOR)
					.clientInfo(new McpSchema.Implementation("local-ai-runtime", "0.1.0"))
					.toolsChangeConsumer(changed -> Mono.fromRunnable(this::refreshLater)).build();
		}
		try {
			c.initialize().block(settings.connectTimeout().plusSeconds(1));
			List<McpSchema.Tool> listed = listTools(c);
			synchronized (this) {
				if (state == State.CLOSED) {
					closeQuietly(c);
					return;
				}
				client = c;
				tools = listed;
				state = State.CONNECTED;
				error = null;
				since = Instant.now();
				backoff = FIRST_RETRY;
			}
			LOG.info("MCP server '{}' ({}) connected: {} tools", settings.name(), settings.address(), listed.size());
			onChange.accept(this);
		} catch (RuntimeException e) {
			closeQuietly(c);
			failed(Exceptions.unwrap(e));
		}
	}

	private void refreshLater() {
		scheduler.execute(this::refresh);
	}

	private List<McpSchema.Tool> listTools(McpAsyncClient c) {
		List<McpSchema.Tool> all = new ArrayList<>();
		String cursor = null;
		do {
			McpSchema.ListToolsResult page = c.listTools(cursor).block(settings.requestTimeout().plusSeconds(1));
			all.addAll(page.tools());
			cursor = page.nextCursor();
		} while (cursor != null && !cursor.isEmpty());
		return List.copyOf(all);
	}

	/** A connected server stopped answering: report it down and reconnect. */
	private void lost(McpAsyncClient c, Throwable cause) {
		synchronized (this) {
			if (client != c || state != State.CONNECTED) {
				return;
			}
			client = null;
		}
		closeQuietly(c);
		failed(cause);
	}

	private void failed(Throwable cause) {
		String reason = describe(cause);
		boolean wasUp;
		Duration wait;
		synchronized (this) {
			if (state == State.CLOSED) {
				return;
			}
			wasUp = state == State.CONNECTED;
			boolean changed = state != State.DOWN || !reason.equals(error);
			state = State.DOWN;
			error = reason;
			if (changed) {
				since = Instant.now();
			}
			tools = List.of();
			wait = backoff;
			backoff = backoff.multipliedBy(2).compareTo(settings.reconnectMax()) > 0 ? settings.reconnectMax()
					: backoff.multipliedBy(2);
			schedule(wait);
		}
		if (wasUp || wait.equals(FIRST_RETRY)) {
			LOG.warn("MCP server '{}' ({}) is down: {}; retrying with backoff up to {} s", settings.name(),
					settings.address(), reason, settings.reconnectMax().toSeconds());
		}
		onChange.accept(this);
	}

	/** The first message along the cause chain, else the innermost exception's name. */
	private static String describe(Throwable e) {
		Throwable t = e;
		while (t.getMessage() == null && t.getCause() != null) {
			t = t.getCause();
		}
		return t.getMessage() != null ? Redact.text(t.getMessage()) : t.getClass().getSimpleName();
	}

	private void schedule(Duration delay) {
		if (pending != null) {
			pending.cancel(false);
		}
		pending = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static void closeQuietly(McpAsyncClient c) {
		if (c == null) {
			return;
		}
		try {
			c.closeGracefully().timeout(Duration.ofSeconds(2)).onErrorResume(e -> Mono.empty()).block();
		} catch (RuntimeException e) {
			// closing a broken connection; nothing left to do
		} finally {
			c.close();
		}
	}
}
