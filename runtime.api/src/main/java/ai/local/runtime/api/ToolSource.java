package ai.local.runtime.api;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** A set of tools the runtime can run itself, e.g. one MCP server. */
@ConsumerType
public interface ToolSource {

	/** A short name for logs, traces and collision prefixes. */
	String name();

	/** The tools offered now, with their JSON schemas. */
	List<ToolDefinition> tools();

	/**
	 * Calls one tool. A tool that fails returns a result with {@code error} set; an exception means the
	 * source itself failed.
	 *
	 * @param arguments the arguments as a JSON text
	 */
	ToolResult call(String tool, String arguments, Duration timeout);
}
