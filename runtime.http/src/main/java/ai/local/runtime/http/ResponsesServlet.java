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
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.codec.ResponsesCall;
import ai.local.runtime.http.codec.ResponsesCodec;
import ai.local.runtime.http.sse.ResponsesEventSink;

/**
 * {@code POST /v1/responses}. With {@code store} (the default) and a session store installed, the
 * conversation is kept under the response id, so {@code previous_response_id} continues it
 * ({@link Conversations}).
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/responses", "/api/v1/responses" })
@Component(service = Servlet.class)
public class ResponsesServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;
	private final transient Conversations conversations;

	@Activate
	public ResponsesServlet(@Reference Completions completions, @Reference Conversations conversations) {
		this.completions = completions;
		this.conversations = conversations;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		ResponsesCall call = ResponsesCodec.decode(body(req));
		Route route = completions.route(call.request().model(), record);
		String id = Ids.secret("resp_");
		SessionTurn turn = conversations.begin(req, resp, call, id);
		String messageId = Ids.next("msg_");
		long createdAt = System.currentTimeMillis() / 1000;
		if (call.stream()) {
			ResponsesEventSink sink = new ResponsesEventSink(sse(resp),
					(status, output, finish, usage) -> ResponsesCodec.response(id, createdAt, route.requestedModel(), call,
							status, output, finish, usage), messageId);
			sink.beforeFinish(turn::record);
			completions.stream(route, turn.request(), sink, record);
		} else {
			ChatResult result = completions.chat(route, turn.request(), record);
			turn.record(result);
			notes(resp, result);
			json(resp, 200, ResponsesCodec.response(id, createdAt, route.requestedModel(), call,
					ResponsesCodec.status(result.finishReason()), ResponsesCodec.output(result, messageId),
					result.finishReason(), result.usage()));
		}
	}
}
