package ai.local.runtime.http.codec;

import java.util.List;
import java.util.Set;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ToolLoopLimits;

/**
 * A decoded {@code POST /v1/responses} body. {@code request} holds the new input items only; the servlet
 * adds the instructions and the stored history of {@code previousResponseId} in front of them.
 *
 * @param useServerHistory the body's {@code use_server_history} (for a {@code session_id}); null when not given
 * @param toolLoop the server-side tool keys over their defaults (see {@link ChatCall}); null when none is given
 * @param mcp the request's {@code {"type": "mcp"}} tools: configured MCP servers whose tools run server-side
 * @param customTools the names of the request's {@code {"type": "custom"}} tools (free text in, as Codex's
 *        apply_patch): offered to the model as functions of one string, {@code input}, and answered as
 *        {@code custom_tool_call} items
 */
public record ResponsesCall(ChatRequest request, String instructions, String previousResponseId, boolean stream,
		boolean store, Boolean useServerHistory, ToolLoopLimits toolLoop, List<McpTool> mcp, Set<String> customTools) {

	/**
	 * An MCP server the request names by its {@code server_label}, and the tools of it allowed ({@code allowed_tools});
	 * null: all of them. Its {@code server_url} is not followed: only servers the operator configured run.
	 */
	public record McpTool(String serverLabel, List<String> allowedTools) {
	}

	public ResponsesCall {
		mcp = mcp == null ? List.of() : List.copyOf(mcp);
		customTools = customTools == null ? Set.of() : Set.copyOf(customTools);
	}

	public ResponsesCall withRequest(ChatRequest newRequest) {
		return new ResponsesCall(newRequest, instructions, previousResponseId, stream, store, useServerHistory, toolLoop,
				mcp, customTools);
	}

	/** The new input items, as messages. */
	public List<ChatMessage> input() {
		return request.messages();
	}
}
