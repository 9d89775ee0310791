package ai.local.runtime.mcp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.modelcontextprotocol.spec.McpSchema;

import ai.local.runtime.api.ToolServerStatus;
import ai.local.runtime.api.ToolServers;
import ai.local.runtime.api.ToolSource;

/**
 * Every configured MCP server, numbered in the order they were added. A connected server is published as a
 * {@link ToolSource}; when two connected servers offer a tool of the same name, the lower-numbered one keeps the
 * name and the other's becomes {@code mcp<N>.<name>} ({@link #rename()}).
 */
@Component(service = { McpServers.class, ToolServers.class })
public class McpServers implements ToolServers {
	private final AtomicInteger ordinals = new AtomicInteger();
	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
		Thread t = new Thread(r, "runtime.mcp connections");
		t.setDaemon(true);
		return t;
	});
	private final Map<McpConnection, ServiceRegistration<ToolSource>> connections = new HashMap<>();
	private final BundleContext context;

	@Activate
	public McpServers(BundleContext context) {
		this.context = context;
	}

	@Deactivate
	void stop() {
		for (McpConnection c : all()) {
			remove(c);
		}
		scheduler.shutdownNow();
	}

	/** Starts connecting; {@code name} null names the server {@code mcp<N>}. */
	McpConnection add(McpSettings settings) {
		int ordinal = ordinals.incrementAndGet();
		McpSettings named = settings.name() != null ? settings
				: new McpSettings("mcp" + ordinal, settings.transport(), settings.url(), settings.command(),
						settings.headers(), settings.connectTimeout(), settings.requestTimeout(), settings.maxInFlight(),
						settings.reconnectMax());
		McpConnection c = new McpConnection(named, ordinal, scheduler, this::changed);
		synchronized (this) {
			connections.put(c, null);
		}
		c.start();
		return c;
	}

	void remove(McpConnection c) {
		ServiceRegistration<ToolSource> reg;
		synchronized (this) {
			reg = connections.remove(c);
			rename();
		}
		unregister(reg);
		c.close();
	}

	synchronized List<McpConnection> all() {
		List<McpConnection> list = new ArrayList<>(connections.keySet());
		list.sort(Comparator.comparingInt(c -> c.ordinal));
		return list;
	}

	Optional<McpConnection> byName(String name) {
		return all().stream().filter(c -> c.settings.name().equals(name)).findFirst();
	}

	@Override
	public List<ToolServerStatus> servers() {
		return all().stream().map(McpConnection::status).toList();
	}

	@Override
	public Optional<ToolServerStatus> refresh(String name) {
		return byName(name).map(c -> {
			c.refresh();
			return c.status();
		});
	}

	/**
	 * Gives every server's tools the names they go by: their own, or {@code mcp<N>.<name>} when a lower-numbered
	 * connected server has one of the same name. Worked out when a server connects, changes its tools or goes,
	 * not on every lookup.
	 */
	private void rename() {
		Set<String> taken = new HashSet<>();
		for (McpConnection c : all()) {
			Map<String, McpSchema.Tool> names = new LinkedHashMap<>();
			if (c.state() == McpConnection.State.CONNECTED) {
				for (McpSchema.Tool t : c.tools()) {
					names.put(taken.contains(t.name()) ? "mcp" + c.ordinal + "." + t.name() : t.name(), t);
				}
				c.tools().forEach(t -> taken.add(t.name()));
			}
			c.exposed(Collections.unmodifiableMap(names));
		}
	}

	private void changed(McpConnection c) {
		ServiceRegistration<ToolSource> stale = null;
		synchronized (this) {
			if (!connections.containsKey(c)) {
				return;
			}
			rename();
			ServiceRegistration<ToolSource> reg = connections.get(c);
			boolean up = c.state() == McpConnection.State.CONNECTED;
			if (up && reg == null) {
				Dictionary<String, Object> props = new Hashtable<>();
				props.put("mcp.server", c.settings.name());
				props.put("mcp.address", c.settings.address());
				connections.put(c, context.registerService(ToolSource.class, new McpToolSource(c), props));
			} else if (!up && reg != null) {
				connections.put(c, null);
				stale = reg;
			}
		}
		unregister(stale);
	}

	private static void unregister(ServiceRegistration<?> reg) {
		if (reg != null) {
			try {
				reg.unregister();
			} catch (IllegalStateException e) {
				// already gone with the bundle
			}
		}
	}
}
