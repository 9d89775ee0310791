package ai.local.runtime.api;

import java.time.Instant;
import java.util.List;

/**
 * One tool server (an MCP server) as operators see it.
 *
 * @param name the name its tools' source goes by
 * @param transport how it is reached, e.g. {@code streamable-http}, {@code sse}, {@code stdio}
 * @param address its URL or command line
 * @param state {@code connecting}, {@code connected}, {@code down} or {@code closed}
 * @param since when it entered that state
 * @param error why it is down; null otherwise
 * @param tools the tools it offers, under the names requests use
 */
public record ToolServerStatus(String name, String transport, String address, String state, Instant since,
		String error, List<ToolDefinition> tools) {
}
