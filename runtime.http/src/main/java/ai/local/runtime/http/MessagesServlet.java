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
import ai.local.runtime.http.codec.AnthropicCall;
import ai.local.runtime.http.codec.AnthropicCodec;
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.sse.AnthropicEventSink;

/** {@code POST /v1/messages}: the Anthropic Messages API over the same completion path. */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/messages", "/api/v1/messages" })
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
	protected Dialect dialect() {
		return Dialect.ANTHROPIC;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		AnthropicCall call = AnthropicCodec.decode(body(req));
		Route route = completions.route(call.request().model(), record);
		SessionTurn turn = conversations.begin(req, resp, call.request(), call.useServerHistory());
		String id = Ids.next("msg_");
		if (call.stream()) {
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
