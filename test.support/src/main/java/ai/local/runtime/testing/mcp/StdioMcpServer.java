package ai.local.runtime.testing.mcp;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

/** {@link TestTools} over stdio: the runtime starts this main class as an MCP server's command. */
public final class StdioMcpServer {

	private StdioMcpServer() {
	}

	public static void main(String[] args) throws InterruptedException {
		McpServer.sync(new StdioServerTransportProvider(TestTools.MAPPER)).serverInfo("runtime-test-tools-stdio", "1.0")
				.capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
				.tools(new TestTools(args.length > 0 ? args[0] : "stdio").specifications()).build();
		// the transport reads stdin on its own threads until the runtime closes it; if the runtime is killed
		// instead, this process ends with it rather than outliving it
		ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
		if (parent == null) {
			Thread.currentThread().join();
		}
		parent.onExit().join();
		System.exit(0);
	}

	/** The command line that starts this server with the current JVM and class path. */
	public static String command(String label) {
		return System.getProperty("java.home") + "/bin/java -cp " + System.getProperty("java.class.path") + " "
				+ StdioMcpServer.class.getName() + " " + label;
	}
}
