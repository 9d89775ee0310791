package ai.local.runtime.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.LiveRequests;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.api.ToolServerStatus;
import ai.local.runtime.api.ToolServers;
import ai.local.runtime.api.settings.SettingsReader;

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
	private final transient PullJobs pulls = new PullJobs();
	private transient volatile BundleContext context;

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private volatile ConfigurationAdmin configAdmin;

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
			Map<String, Object> status = RuntimeStatus.of(providers, live, sessions, toolServers);
			status.put("pulls", pulls.list());
			status.put("pins", pins());
			json(resp, 200, status);
			return;
		}
		// res/ files; anything else falls through to the console, which frames renderContent with its menu
		spoolResource(req, resp);
	}

	@Activate
	void activate(BundleContext bundleContext) {
		this.context = bundleContext;
	}

	@Deactivate
	void deactivate() {
		pulls.close();
	}

	@Override
	protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		String action = path(req);
		if (action.equals("/load") || action.equals("/unload") || action.equals("/pull") || action.equals("/pin")) {
			models(action, req, resp);
			return;
		}
		if (!action.equals("/refresh")) {
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

	/** The model manager's actions: load, unload, pull (a background job), pin (the llama.cpp provider's pin list). */
	private void models(String action, HttpServletRequest req, HttpServletResponse resp) throws IOException {
		String providerName = req.getParameter("provider");
		String model = req.getParameter("model");
		if (model == null || model.isBlank()) {
			json(resp, 400, Map.of("error", "say which model: " + action.substring(1) + "?provider=NAME&model=ID"));
			return;
		}
		if (action.equals("/pin")) {
			pin(model.strip(), !"false".equals(req.getParameter("on")), resp);
			return;
		}
		ChatProvider provider = providers.values().stream().filter(p -> p.name().equals(providerName)).findFirst()
				.orElse(null);
		if (provider == null) {
			json(resp, 404, Map.of("error", "no provider named '" + providerName + "'"));
			return;
		}
		try {
			switch (action) {
			case "/load" -> provider.load(model, null);
			case "/unload" -> provider.unload(model);
			default -> pulls.start(providerName, provider, model.strip());
			}
			json(resp, 200, Map.of("success", true));
		} catch (ApiException e) {
			json(resp, e.status(), Map.of("error", e.getMessage()));
		} catch (RuntimeException | LinkageError e) {
			json(resp, 500, Map.of("error", e.toString()));
		}
	}

	private static final String LLAMA_PID = "provider.llamacpp";

	/** Adds the model to (or removes it from) the llama.cpp provider's {@code pin} list; saved to conf/. */
	private void pin(String model, boolean on, HttpServletResponse resp) throws IOException {
		ConfigurationAdmin cm = configAdmin;
		if (cm == null) {
			json(resp, 503, Map.of("error", "Config Admin is not running"));
			return;
		}
		Configuration c = cm.getConfiguration(LLAMA_PID, "?");
		Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
		Set<String> pins = new LinkedHashSet<>(pins());
		if (on) {
			pins.add(model);
		} else {
			pins.remove(model);
		}
		props.put("pin", String.join(",", pins));
		c.update(props);
		json(resp, 200, Map.of("success", true, "pins", pins));
	}

	/** The llama.cpp provider's pins: its configuration's, else LLAMA_CPP_PIN's (as the provider reads them). */
	private List<String> pins() {
		ConfigurationAdmin cm = configAdmin;
		Object configured = null;
		try {
			Configuration[] found = cm == null ? null : cm.listConfigurations("(service.pid=" + LLAMA_PID + ")");
			if (found != null && found.length > 0 && found[0].getProperties() != null) {
				configured = found[0].getProperties().get("pin");
			}
		} catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
			// the environment's then
		}
		String list = configured != null && !configured.toString().isBlank() ? configured.toString()
				: SettingsReader.environment(context).apply("LLAMA_CPP_PIN");
		return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::strip)
				.filter(p -> !p.isEmpty()).toList();
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
