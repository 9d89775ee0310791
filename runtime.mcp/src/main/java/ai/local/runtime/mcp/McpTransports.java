package ai.local.runtime.mcp;

import java.net.URI;
import java.net.http.HttpRequest;

import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpClientTransport;

/** The SDK transport a server's settings ask for. */
final class McpTransports {

	private McpTransports() {
	}

	static McpClientTransport create(McpSettings s) {
		McpSyncHttpClientRequestCustomizer headers = (HttpRequest.Builder builder, String method, URI uri,
				String body, McpTransportContext context) -> s.headers().forEach(builder::setHeader);
		switch (s.transport()) {
		case SSE:
			return HttpClientSseClientTransport.builder(s.base()).sseEndpoint(s.endpoint()).jsonMapper(McpJson.MAPPER)
					.connectTimeout(s.connectTimeout()).httpRequestCustomizer(headers).build();
		case STDIO:
			ServerParameters params = ServerParameters.builder(s.command().get(0))
					.args(s.command().subList(1, s.command().size())).build();
			return new StdioClientTransport(params, McpJson.MAPPER);
		default:
			return HttpClientStreamableHttpTransport.builder(s.base()).endpoint(s.endpoint()).jsonMapper(McpJson.MAPPER)
					.connectTimeout(s.connectTimeout()).httpRequestCustomizer(headers).build();
		}
	}
}
