package ai.local.runtime.mcp;

import java.time.Duration;
import java.util.List;

import io.modelcontextprotocol.spec.McpSchema;

import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolResult;
import ai.local.runtime.api.ToolSource;

/** A connected MCP server's tools, under the names {@link McpServers} gives them. */
final class McpToolSource implements ToolSource {
	private final McpConnection connection;

	McpToolSource(McpConnection connection) {
		this.connection = connection;
	}

	@Override
	public String name() {
		return connection.settings.name();
	}

	@Override
	public List<ToolDefinition> tools() {
		return connection.definitions();
	}

	@Override
	public ToolResult call(String tool, String arguments, Duration timeout) {
		McpSchema.Tool target = connection.exposed().get(tool);
		if (target == null) {
			return new ToolResult("MCP server '" + name() + "' has no tool '" + tool + "'", true);
		}
		return connection.call(target.name(), arguments,
				timeout != null ? timeout : connection.settings.requestTimeout());
	}

	@Override
	public String toString() {
		return "MCP server " + name() + " (" + connection.settings.address() + ")";
	}
}
