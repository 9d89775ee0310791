package ai.local.runtime.mcp;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.settings.SettingsReader;

/** The MCP servers named by MCP_HOSTS (comma-separated URLs) or MCP_HOST, as the C++ original took them. */
@Component(immediate = true, service = {})
public class McpEnvServers {
	private static final Logger LOG = LoggerFactory.getLogger(McpEnvServers.class);

	private final McpServers servers;
	private final List<McpConnection> started = new ArrayList<>();

	@Activate
	public McpEnvServers(@Reference McpServers servers, BundleContext context) {
		this.servers = servers;
		var env = SettingsReader.environment(context);
		String hosts = env.apply("MCP_HOSTS");
		if (hosts == null || hosts.isBlank()) {
			hosts = env.apply("MCP_HOST");
		}
		if (hosts == null) {
			return;
		}
		for (String url : hosts.split(",")) {
			if (!url.isBlank()) {
				try {
					started.add(servers.add(McpSettings.ofUrl(null, url.trim())));
				} catch (IllegalArgumentException e) {
					LOG.error("MCP server '{}' from MCP_HOST(S) is not usable: {}", Redact.text(url.trim()), e.getMessage());
				}
			}
		}
	}

	@Deactivate
	void stop() {
		started.forEach(servers::remove);
	}
}
