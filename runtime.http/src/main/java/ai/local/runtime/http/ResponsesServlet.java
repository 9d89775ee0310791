package ai.local.runtime.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.api.ToolServerStatus;
import ai.local.runtime.api.ToolServers;
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.codec.Json;
import ai.local.runtime.http.codec.ResponsesCall;
import ai.local.runtime.http.codec.ResponsesCodec;
import ai.local.runtime.http.sse.ResponsesEventSink;

/**
 * {@code POST /v1/responses}. With {@code store} (the default) and a session store installed, the
 * conversation is kept under the response id, so {@code previous_response_id} continues it
 * ({@link Conversations}), and the response object itself for {@code GET /v1/responses/{id}}
 * ({@link StoredResponses}). MCP tools ({@code {"type": "mcp", "server_label": ...}}, of servers the operator
 * configured) and the tool-loop keys run the server-side tool loop.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/responses", "/api/v1/responses", "/v1/responses/*", "/api/v1/responses/*" })
@Component(service = Servlet.class)
public class ResponsesServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;
	private final transient Conversations conversations;
	private final transient StoredResponses stored = new StoredResponses();

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private transient volatile ToolServers toolServers;

	@Activate
	public ResponsesServlet(@Reference Completions completions, @Reference Conversations conversations) {
		this.completions = completions;
		this.conversations = conversations;
	}

	@Override
	protected void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		ObjectNode r = stored.get(id(req));
		if (r == null) {
			throw notFound(id(req));
		}
		json(resp, 200, r);
	}

	@Override
	protected void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (!stored.remove(id(req))) {
			throw notFound(id(req));
		}
		json(resp, 200, Json.object().put("id", id(req)).put("object", "response").put("deleted", true));
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
			super.post(req, resp);
			return;
		}
		RequestRecord record = RequestRecord.of(req);
		ResponsesCall call = withMcpTools(ResponsesCodec.decode(body(req)));
		Route route = completions.route(call.request().model(), record);
		String id = Ids.secret("resp_");
		SessionTurn turn = conversations.begin(req, resp, call, id);
		String messageId = Ids.next("msg_");
		String reasoningId = Ids.next("rs_");
		long createdAt = System.currentTimeMillis() / 1000;
		ResponsesEventSink.ResponseBuilder builder = (status, output, finish, usage) -> {
			ObjectNode r = ResponsesCodec.response(id, createdAt, route.requestedModel(), call, status, output, finish, usage);
			if (call.store() && !"in_progress".equals(status)) {
				stored.put(id, r);
			}
			return r;
		};
		boolean serverTools = completions.serverTools(turn.request(), call.toolLoop());
		if (call.stream()) {
			ResponsesEventSink sink = new ResponsesEventSink(sse(resp), builder, messageId, reasoningId,
					call.customTools());
			if (serverTools) {
				completions.tools(route, turn.request(), call.toolLoop(), sink, record, turn::record);
			} else {
				sink.beforeFinish(turn::record);
				completions.stream(route, turn.request(), sink, record);
			}
			return;
		}
		ChatResult result;
		if (serverTools) {
			ToolLoopResult run = completions.tools(route, turn.request(), call.toolLoop(), null, record, turn::record);
			result = run.result();
		} else {
			result = completions.chat(route, turn.request(), record);
			turn.record(result);
		}
		notes(resp, result);
		json(resp, 200, builder.build(ResponsesCodec.status(result.finishReason()),
				ResponsesCodec.output(result, messageId, reasoningId, call.customTools()), result.finishReason(),
				result.usage()));
	}

	/**
	 * The request's MCP tools as tools named without a schema (the tool loop's server-side tools): the allowed
	 * ones, or every tool the configured server of that label offers now.
	 */
	private ResponsesCall withMcpTools(ResponsesCall call) {
		if (call.mcp().isEmpty()) {
			return call;
		}
		List<ToolDefinition> tools = new ArrayList<>(call.request().tools());
		for (ResponsesCall.McpTool mcp : call.mcp()) {
			List<String> names = mcp.allowedTools() != null ? mcp.allowedTools() : serverTools(mcp.serverLabel());
			for (String name : names) {
				tools.add(new ToolDefinition(name, null, null, false));
			}
		}
		return call.withRequest(call.request().withTools(tools));
	}

	private List<String> serverTools(String label) {
		ToolServers servers = toolServers;
		if (servers != null) {
			for (ToolServerStatus s : servers.servers()) {
				if (s.name().equals(label)) {
					return s.tools().stream().map(ToolDefinition::name).toList();
				}
			}
		}
		throw ApiException.invalidRequest("No MCP server labelled '" + label + "' is configured here (MCP servers are "
				+ "the operator's runtime.mcp configuration; a request's server_url is not followed)", "tools");
	}

	private static String id(HttpServletRequest req) {
		String info = req.getPathInfo();
		return info == null ? "" : info.substring(1);
	}

	private static ApiException notFound(String id) {
		return new ApiException(ErrorType.NOT_FOUND, "Response with id '" + id + "' not found.", null, "not_found", null,
				null);
	}
}
