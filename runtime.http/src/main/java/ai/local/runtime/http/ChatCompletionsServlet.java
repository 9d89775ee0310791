package ai.local.runtime.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.http.codec.ChatCall;
import ai.local.runtime.http.codec.ChatEncoder;
import ai.local.runtime.http.codec.ChatRequestDecoder;
import ai.local.runtime.http.sse.ChatChunkSink;

/**
 * {@code POST /v1/chat/completions}, whole or streamed as chunks, with server-side history ({@link Conversations}),
 * and the server-side tool loop when the request asks for it.
 */
@RequireHttpWhiteboard
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/chat/completions", "/api/v1/chat/completions" })
@Component(service = Servlet.class)
public class ChatCompletionsServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;
	static final String TRACE_HEADER = "x-runtime-trace";
	/** Well under Jetty's 8 KiB response header limit, with room for the other headers. */
	static final int TRACE_HEADER_CHARS = 6000;

	private final transient Completions completions;
	private final transient Conversations conversations;

	@Activate
	public ChatCompletionsServlet(@Reference Completions completions, @Reference Conversations conversations) {
		this.completions = completions;
		this.conversations = conversations;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		ChatCall call = ChatRequestDecoder.decode(body(req));
		Route route = completions.route(call.model(), record);
		SessionTurn turn = conversations.begin(req, resp, call.request(), call.useServerHistory());
		ChatEncoder encoder = new ChatEncoder(call.model(), call.includeUsage());
		if (completions.serverTools(turn.request(), call.toolLoop())) {
			serverTools(resp, call, route, turn, encoder, record);
		} else if (call.stream()) {
			ChatChunkSink sink = new ChatChunkSink(sse(resp), encoder);
			sink.beforeFinish(turn::record);
			completions.stream(route, turn.request(), sink, record);
		} else {
			ChatResult result = completions.chat(route, turn.request(), record);
			turn.record(result);
			notes(resp, result);
			json(resp, 200, encoder.completion(result));
		}
	}

	/** The server-side tool loop; a whole answer carries the trace in {@code x-runtime-trace} when asked. */
	private void serverTools(HttpServletResponse resp, ChatCall call, Route route, SessionTurn turn,
			ChatEncoder encoder, RequestRecord record) throws IOException {
		if (call.stream()) {
			ChatChunkSink sink = new ChatChunkSink(sse(resp), encoder);
			completions.tools(route, turn.request(), call.toolLoop(), sink, record, turn::record);
			return;
		}
		ToolLoopResult run = completions.tools(route, turn.request(), call.toolLoop(), null, record, turn::record);
		notes(resp, run.result());
		if (!run.trace().isEmpty()) {
			resp.setHeader(TRACE_HEADER, Headers.jsonArray(run.trace(), TRACE_HEADER_CHARS));
		}
		json(resp, 200, encoder.completion(run.result()));
	}
}
