package ai.local.runtime.testing.mcp;

import java.net.InetSocketAddress;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * An MCP server on Jetty serving {@link TestTools} twice: streamable HTTP at {@code /mcp} and legacy SSE at
 * {@code /sse} (messages posted to {@code /message}). Can be stopped and started again on the same port.
 */
public final class HttpMcpServer implements AutoCloseable {
	private final TestTools tools;
	private int port;
	private Server jetty;
	private McpSyncServer streamable;
	private McpSyncServer sse;

	public HttpMcpServer(String label) throws Exception {
		this.tools = new TestTools(label);
		start();
	}

	public synchronized void start() throws Exception {
		HttpServletStreamableServerTransportProvider streamableTransport = HttpServletStreamableServerTransportProvider
				.builder().jsonMapper(TestTools.MAPPER).mcpEndpoint("/mcp").build();
		HttpServletSseServerTransportProvider sseTransport = HttpServletSseServerTransportProvider.builder()
				.jsonMapper(TestTools.MAPPER).messageEndpoint("/message").sseEndpoint("/sse").build();
		streamable = server(McpServer.sync(streamableTransport));
		sse = server(McpServer.sync(sseTransport));
		jetty = new Server(new InetSocketAddress("127.0.0.1", port));
		ServletContextHandler context = new ServletContextHandler();
		context.addServlet(new ServletHolder(streamableTransport), "/mcp");
		context.addServlet(new ServletHolder(sseTransport), "/sse");
		context.addServlet(new ServletHolder(sseTransport), "/message");
		jetty.setHandler(context);
		jetty.start();
		port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
	}

	private McpSyncServer server(McpServer.SyncSpecification<?> spec) {
		return spec.serverInfo("runtime-test-tools", "1.0")
				.capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
				.tools(tools.specifications()).build();
	}

	public synchronized void stop() throws Exception {
		streamable.close();
		sse.close();
		jetty.stop();
	}

	public String streamableUrl() {
		return "http://127.0.0.1:" + port + "/mcp";
	}

	public String sseUrl() {
		return "http://127.0.0.1:" + port + "/sse";
	}

	public TestTools tools() {
		return tools;
	}

	@Override
	public void close() throws Exception {
		stop();
	}
}
