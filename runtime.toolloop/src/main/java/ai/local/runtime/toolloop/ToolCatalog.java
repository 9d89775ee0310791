package ai.local.runtime.toolloop;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolSource;

/**
 * The {@link ToolSource} services present now, oldest first. When two sources offer the same tool name, the
 * older one answers to it (MCP servers already rename their collisions to {@code mcp<N>.<name>}).
 */
final class ToolCatalog {

	/** A tool and the source that runs it. */
	record Entry(ToolSource source, ToolDefinition definition) {
	}

	private final Map<Long, ToolSource> sources = new ConcurrentSkipListMap<>();

	void add(long serviceId, ToolSource source) {
		sources.put(serviceId, source);
	}

	void remove(long serviceId) {
		sources.remove(serviceId);
	}

	Optional<Entry> find(String name) {
		for (ToolSource source : sources.values()) {
			for (ToolDefinition d : tools(source)) {
				if (d.name().equals(name)) {
					return Optional.of(new Entry(source, d));
				}
			}
		}
		return Optional.empty();
	}

	private static List<ToolDefinition> tools(ToolSource source) {
		try {
			return source.tools();
		} catch (RuntimeException e) {
			return List.of(); // a source going away while we look
		}
	}
}
