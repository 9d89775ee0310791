package ai.local.runtime.mcp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolServerStatus;

/**
 * {@code GET /v1/mcp/servers}: each MCP server with its state and tools; {@code POST /v1/mcp/refresh} (all, or
 * {@code ?server=NAME}): list the tools again, or reconnect a server that is down. The runtime's API filter
 * guards both like every other {@code /v1} path.
 */
@RequireHttpWhiteboard
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/mcp/*", "/api/v1/mcp/*" })
@Component(service = Servlet.class)
public class McpServlet extends HttpServlet {
	private static final long serialVersionUID = 1L;

	private final transient McpServers servers;

	@Activate
	public McpServlet(@Reference McpServers servers) {
		this.servers = servers;
	}

	@Override
	protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (!"/servers".equals(req.getPathInfo())) {
			notFound(req, resp);
			return;
		}
		write(resp, 200, Map.of("object", "list", "data", listing(servers.all())));
	}

	@Override
	protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (!"/refresh".equals(req.getPathInfo())) {
			notFound(req, resp);
			return;
		}
		String name = req.getParameter("server");
		List<McpConnection> targets = servers.all();
		if (name != null) {
			targets = servers.byName(name).map(List::of).orElse(List.of());
			if (targets.isEmpty()) {
				error(resp, 404, "No MCP server named '" + name + "'; GET /v1/mcp/servers lists them", "server",
						"mcp_server_not_found");
				return;
			}
		}
		targets.forEach(McpConnection::refresh);
		write(resp, 200, Map.of("object", "list", "data", listing(targets)));
	}

	private List<Map<String, Object>> listing(List<McpConnection> connections) {
		List<Map<String, Object>> data = new ArrayList<>();
		for (McpConnection c : connections) {
			ToolServerStatus status = c.status();
			Map<String, Object> s = new LinkedHashMap<>();
			s.put("name", status.name());
			s.put("number", c.ordinal);
			s.put("transport", status.transport());
			s.put("address", status.address());
			s.put("state", status.state());
			s.put("since", status.since().toString());
			if (status.error() != null) {
				s.put("error", status.error());
			}
			List<Map<String, Object>> tools = new ArrayList<>();
			for (ToolDefinition t : status.tools()) {
				Map<String, Object> tool = new LinkedHashMap<>();
				tool.put("name", t.name());
				tool.put("description", t.description());
				tool.put("parameters", t.parameters());
				tools.add(tool);
			}
			s.put("tools", tools);
			data.add(s);
		}
		return data;
	}

	private static void notFound(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		error(resp, 404, "Unknown MCP endpoint: " + req.getMethod() + " " + req.getRequestURI()
				+ " (GET /v1/mcp/servers, POST /v1/mcp/refresh)", null, "unknown_url");
	}

	private static void error(HttpServletResponse resp, int status, String message, String param, String code)
			throws IOException {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", message);
		error.put("type", "invalid_request_error");
		error.put("param", param);
		error.put("code", code);
		write(resp, status, Map.of("error", error));
	}

	private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
		byte[] bytes = McpJson.JACKSON.writeValueAsBytes(body);
		resp.setStatus(status);
		resp.setContentType("application/json");
		resp.setContentLength(bytes.length);
		resp.getOutputStream().write(bytes);
	}
}
