package ai.local.runtime.mcp;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One configured MCP server (factory PID {@code runtime.mcp}); a changed configuration reconnects it. */
@Designate(ocd = McpConfig.class, factory = true)
@Component(configurationPid = "runtime.mcp", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public class McpServerComponent {
	private static final Logger LOG = LoggerFactory.getLogger(McpServerComponent.class);

	private final McpServers servers;
	private McpConnection connection;

	@Activate
	public McpServerComponent(@Reference McpServers servers, McpConfig config, Map<String, Object> properties) {
		this.servers = servers;
		configure(config, properties);
	}

	@Modified
	synchronized void configure(McpConfig config, Map<String, Object> properties) {
		if (connection != null) {
			servers.remove(connection);
			connection = null;
		}
		String pid = String.valueOf(properties.get("service.pid"));
		String name = !config.name().isBlank() ? config.name().trim()
				: pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : null;
		try {
			connection = servers.add(McpSettings.of(config, name));
		} catch (IllegalArgumentException e) {
			LOG.error("MCP server configuration {} is not usable: {}", pid, e.getMessage());
		}
	}

	@Deactivate
	synchronized void stop() {
		if (connection != null) {
			servers.remove(connection);
		}
	}
}
