package ai.local.runtime.mcp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AI Runtime: MCP server", description = "One MCP server whose tools the runtime can "
		+ "run itself (server-side tool loop). File conf/runtime.mcp-NAME.cfg gives PID runtime.mcp~NAME.")
@interface McpConfig {

	@AttributeDefinition(description = "Name for logs, traces and /v1/mcp/servers; default: the part of the PID after '~'")
	String name() default "";

	@AttributeDefinition(description = "streamable-http, sse or stdio")
	String transport() default "streamable-http";

	@AttributeDefinition(description = "Server URL for streamable-http (e.g. http://127.0.0.1:3001/mcp) or sse "
			+ "(e.g. http://127.0.0.1:3001/sse); a URL without a path gets /mcp or /sse")
	String url() default "";

	@AttributeDefinition(description = "stdio: the command line that starts the server, split at spaces")
	String command() default "";

	@AttributeDefinition(description = "HTTP headers sent with every request, 'Name: value', several separated by "
			+ "newlines (\\n in a .cfg file)")
	String headers() default "";

	@AttributeDefinition(description = "Time allowed to connect and initialize, in milliseconds")
	long connect_timeout_ms() default McpSettings.CONNECT_TIMEOUT_MS;

	@AttributeDefinition(description = "Time allowed for tools/list and for a tools/call the tool loop does not "
			+ "limit itself, in milliseconds")
	long request_timeout_ms() default McpSettings.REQUEST_TIMEOUT_MS;

	@AttributeDefinition(description = "Tool calls running on this server at once, at most; more wait")
	int max_in_flight() default McpSettings.MAX_IN_FLIGHT;

	@AttributeDefinition(description = "Longest wait between reconnection attempts, in milliseconds (backoff "
			+ "starts at 500 ms and doubles)")
	long reconnect_max_ms() default McpSettings.RECONNECT_MAX_MS;
}
