package ai.local.runtime.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The configured tool servers, connected or not; registered by the MCP client. */
@ProviderType
public interface ToolServers {

	List<ToolServerStatus> servers();

	/**
	 * Lists a server's tools again, or reconnects it now when it is down; empty when no server has that name.
	 * The returned status may still show the state before the refresh completes.
	 */
	Optional<ToolServerStatus> refresh(String name);
}
