package ai.local.runtime.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.LiveRequests;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.api.ToolServerStatus;
import ai.local.runtime.api.ToolServers;

/**
 * The "AI Runtime" tab of the Web Console ({@code /system/console/airuntime}): the page, its script under
 * {@code res/}, {@code status.json} (what the page shows, polled) and {@code POST refresh?server=NAME} (an MCP
 * server's tools listed again, or reconnected). The console's own login guards all of it; the playground on the
 * page talks to the public API like any client.
 */
@Component(service = Servlet.class, property = {
		ServletConstants.PLUGIN_LABEL + "=" + AiRuntimePlugin.LABEL,
		ServletConstants.PLUGIN_TITLE + "=AI Runtime",
		ServletConstants.PLUGIN_CATEGORY + "=AI Runtime",
		ServletConstants.PLUGIN_CSS_REFERENCES + "=/" + AiRuntimePlugin.LABEL + "/res/airuntime.css" })
public class AiRuntimePlugin extends AbstractServlet {
	static final String LABEL = "airuntime";
	private static final long serialVersionUID = 1L;
	private static final ObjectMapper JSON = new ObjectMapper()
			.registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

	private final transient Map<ServiceReference<ChatProvider>, ChatProvider> providers =
			new ConcurrentSkipListMap<>();

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private volatile LiveRequests live;

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private volatile SessionStore sessions;

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private volatile ToolServers toolServers;

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	void addProvider(ChatProvider provider, ServiceReference<ChatProvider> ref) {
		providers.put(ref, provider);
	}

	void removeProvider(ChatProvider provider, ServiceReference<ChatProvider> ref) {
		providers.remove(ref);
	}

	@Override
	protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (path(req).equals("/status.json")) {
			json(resp, 200, RuntimeStatus.of(providers, live, sessions, toolServers));
			return;
		}
		// res/ files; anything else falls through to the console, which frames renderContent with its menu
		spoolResource(req, resp);
	}

	@Override
	protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (!path(req).equals("/refresh")) {
			json(resp, 404, Map.of("error", "unknown action " + path(req)));
			return;
		}
		ToolServers servers = toolServers;
		String name = req.getParameter("server");
		if (servers == null) {
			json(resp, 503, Map.of("error", "the MCP client (runtime.mcp) is not running"));
			return;
		}
		if (name == null || name.isBlank()) {
			json(resp, 400, Map.of("error", "say which server: refresh?server=NAME"));
			return;
		}
		Optional<ToolServerStatus> refreshed = servers.refresh(name);
		if (refreshed.isEmpty()) {
			json(resp, 404, Map.of("error", "no MCP server named '" + name + "'"));
			return;
		}
		json(resp, 200, refreshed.get());
	}

	@Override
	public void renderContent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		String root = (String) req.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
		PrintWriter out = resp.getWriter();
		out.print(readTemplateFile("/res/airuntime.html").replace("${pluginRoot}", root == null ? "" : root));
	}

	/** The path below the plugin's label: {@code /airuntime/status.json} → {@code /status.json}. */
	private static String path(HttpServletRequest req) {
		String info = req.getPathInfo();
		if (info == null) {
			return "";
		}
		int slash = info.indexOf('/', 1);
		return slash < 0 ? "" : info.substring(slash);
	}

	private static void json(HttpServletResponse resp, int status, Object body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		setNoCache(resp);
		resp.setStatus(status);
		resp.setContentType("application/json");
		resp.setCharacterEncoding("utf-8");
		resp.setContentLength(bytes.length);
		resp.getOutputStream().write(bytes);
	}
}
