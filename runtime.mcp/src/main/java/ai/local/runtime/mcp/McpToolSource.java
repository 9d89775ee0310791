package ai.local.runtime.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.modelcontextprotocol.spec.McpSchema;

import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolResult;
import ai.local.runtime.api.ToolSource;

/** A connected MCP server's tools, under the names {@link McpServers} gives them. */
final class McpToolSource implements ToolSource {
	private final McpServers servers;
	private final McpConnection connection;

	McpToolSource(McpServers servers, McpConnection connection) {
		this.servers = servers;
		this.connection = connection;
	}

	@Override
	public String name() {
		return connection.settings.name();
	}

	@Override
	public List<ToolDefinition> tools() {
		return connection.tools().stream().map(t -> McpJson.definition(servers.exposedName(connection, t.name()), t))
				.toList();
	}

	@Override
	public ToolResult call(String tool, String arguments, Duration timeout) {
		Optional<McpSchema.Tool> target = servers.tool(connection, tool);
		if (target.isEmpty()) {
			return new ToolResult("MCP server '" + name() + "' has no tool '" + tool + "'", true);
		}
		return connection.call(target.get().name(), arguments,
				timeout != null ? timeout : connection.settings.requestTimeout());
	}

	@Override
	public String toString() {
		return "MCP server " + name() + " (" + connection.settings.address() + ")";
	}
}
