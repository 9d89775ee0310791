package ai.local.runtime.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.http.codec.AnthropicCall;
import ai.local.runtime.http.codec.AnthropicCodec;
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.sse.AnthropicEventSink;

/**
 * {@code POST /v1/messages}: the Anthropic Messages API over the same completion path, the server-side tool loop
 * included; {@code POST /v1/messages/count_tokens}: the prompt's tokens as the model counts them (template and
 * tools included), or an estimate where the provider cannot count.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/messages", "/api/v1/messages", "/v1/messages/count_tokens",
		"/api/v1/messages/count_tokens" })
@Component(service = Servlet.class)
public class MessagesServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;
	private final transient Conversations conversations;

	@Activate
	public MessagesServlet(@Reference Completions completions, @Reference Conversations conversations) {
		this.completions = completions;
		this.conversations = conversations;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		AnthropicCall call = AnthropicCodec.decode(body(req));
		Route route = completions.route(call.request().model(), record);
		if (req.getRequestURI().endsWith("/count_tokens")) {
			int counted = completions.countTokens(route, call.request(), record);
			json(resp, 200, AnthropicCodec.tokenCount(counted >= 0 ? counted : TokenEstimate.of(call.request())));
			return;
		}
		SessionTurn turn = conversations.begin(req, resp, call.request(), call.useServerHistory());
		String id = Ids.next("msg_");
		if (completions.serverTools(turn.request(), call.toolLoop())) {
			AnthropicEventSink sink = call.stream() ? new AnthropicEventSink(sse(resp), id, route.requestedModel()) : null;
			ToolLoopResult run = completions.tools(route, turn.request(), call.toolLoop(), sink, record, turn::record);
			if (sink == null) {
				notes(resp, run.result());
				json(resp, 200, AnthropicCodec.message(id, route.requestedModel(), run.result()));
			}
		} else if (call.stream()) {
			AnthropicEventSink sink = new AnthropicEventSink(sse(resp), id, route.requestedModel());
			sink.beforeFinish(turn::record);
			completions.stream(route, turn.request(), sink, record);
		} else {
			ChatResult result = completions.chat(route, turn.request(), record);
			turn.record(result);
			notes(resp, result);
			json(resp, 200, AnthropicCodec.message(id, route.requestedModel(), result));
		}
	}
}
