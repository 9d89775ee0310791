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
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.codec.ResponsesCall;
import ai.local.runtime.http.codec.ResponsesCodec;
import ai.local.runtime.http.sse.ResponsesEventSink;

/**
 * {@code POST /v1/responses}. With {@code store} (the default) and a {@link SessionStore} installed, the
 * conversation is kept under the response id, so {@code previous_response_id} continues it.
 */
@HttpWhiteboardServletPattern({ "/v1/responses", "/api/v1/responses" })
@Component(service = Servlet.class)
public class ResponsesServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private volatile transient SessionStore sessions;

	@Activate
	public ResponsesServlet(@Reference Completions completions) {
		this.completions = completions;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		ResponsesCall call = ResponsesCodec.decode(body(req));
		Route route = completions.route(call.request().model(), record);
		SessionStore store = sessions;
		List<ChatMessage> history = history(call, store);
		List<ChatMessage> messages = new ArrayList<>();
		if (call.instructions() != null && !call.instructions().isEmpty()) {
			messages.add(ChatMessage.system(call.instructions()));
		}
		messages.addAll(history);
		messages.addAll(call.input());
		ChatRequest request = call.request().withMessages(messages);

		String id = Ids.next("resp_");
		String messageId = Ids.next("msg_");
		long createdAt = System.currentTimeMillis() / 1000;
		if (call.stream()) {
			ResponsesEventSink sink = new ResponsesEventSink(sse(resp),
					(status, output, finish, usage) -> ResponsesCodec.response(id, createdAt, route.requestedModel(), call,
							status, output, finish, usage),
					result -> save(store, call, id, history, result), messageId);
			completions.stream(route, request, sink, record);
		} else {
			ChatResult result = completions.chat(route, request, record);
			notes(resp, result);
			save(store, call, id, history, result);
			json(resp, 200, ResponsesCodec.response(id, createdAt, route.requestedModel(), call,
					ResponsesCodec.status(result.finishReason()), ResponsesCodec.output(result, messageId),
					result.finishReason(), result.usage()));
		}
	}

	private static List<ChatMessage> history(ResponsesCall call, SessionStore store) {
		if (call.previousResponseId() == null) {
			return List.of();
		}
		if (store == null) {
			throw ApiException.invalidRequest("previous_response_id needs a session store, and none is installed "
					+ "(install runtime.session)", "previous_response_id");
		}
		List<ChatMessage> history = store.load(call.previousResponseId());
		if (history.isEmpty()) {
			throw new ApiException(ErrorType.NOT_FOUND, "Previous response with id '"
					+ call.previousResponseId() + "' not found.", "previous_response_id", "previous_response_not_found",
					null, null);
		}
		return history;
	}

	/** The conversation so far (without instructions, which do not carry over) under the new response id. */
	private static void save(SessionStore store, ResponsesCall call, String id, List<ChatMessage> history,
			ChatResult result) {
		if (store == null || !call.store()) {
			return;
		}
		List<ChatMessage> conversation = new ArrayList<>(history);
		conversation.addAll(call.input());
		conversation.add(result.message());
		try {
			store.replace(id, conversation);
		} catch (ApiException e) {
			throw e;
		} catch (RuntimeException e) {
			throw ApiException.unavailable("The session store failed to save response " + id + ": " + e, null);
		}
	}
}
