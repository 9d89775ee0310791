package ai.local.runtime.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.codec.ResponsesCall;

/**
 * Server-side history (DESIGN.md §3). A session is named by the body's {@code session_id} or the
 * {@code x-session-id} header; chat completions and messages start a new one when neither is given, and the id
 * goes back in {@code x-session-id}. {@code use_server_history}: an explicit value wins, else true only when
 * the request carries no assistant or tool message (a client that sends the whole conversation is not given it
 * twice). With server history the model sees the stored history and the new messages, and the new messages
 * and the reply are appended; without, the session becomes the conversation the client sent plus the reply.
 */
@Component(service = Conversations.class)
public class Conversations {
	static final String HEADER = "x-session-id";

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	private volatile SessionStore store;

	/** A turn of a chat completions or messages request. */
	SessionTurn begin(HttpServletRequest req, HttpServletResponse resp, ChatRequest request, Boolean useServerHistory) {
		SessionStore s = store;
		String id = named(request, req);
		boolean fresh = id == null;
		if (fresh) {
			if (s == null) {
				return SessionTurn.none(request);
			}
			id = Ids.secret("sess_");
		}
		return session(s, resp, id, fresh, request, useServerHistory, null, List.of());
	}

	/**
	 * A turn of a Responses API request: {@code previous_response_id} supplies the history, else a named
	 * session does; with {@code store} the conversation is kept under {@code responseId} for the next
	 * {@code previous_response_id}. Instructions apply to this response only and are not kept under it.
	 */
	SessionTurn begin(HttpServletRequest req, HttpServletResponse resp, ResponsesCall call, String responseId) {
		SessionStore s = store;
		List<ChatMessage> instructed = new ArrayList<>();
		if (call.instructions() != null && !call.instructions().isEmpty()) {
			instructed.add(ChatMessage.system(call.instructions()));
		}
		instructed.addAll(call.input());
		if (call.previousResponseId() != null) {
			if (s == null) {
				throw noStore("previous_response_id");
			}
			List<ChatMessage> previous = load(s, call.previousResponseId());
			if (previous.isEmpty()) {
				throw new ApiException(ErrorType.NOT_FOUND, "Previous response with id '" + call.previousResponseId()
						+ "' not found.", "previous_response_id", "previous_response_not_found", null, null);
			}
			List<ChatMessage> history = new ArrayList<>(previous);
			history.addAll(call.input());
			ChatRequest request = call.request().withMessages(SessionTurn.merge(previous, instructed));
			return call.store() ? new SessionTurn(s, resp, null, false, previous, call.input(), responseId, history,
					request) : SessionTurn.none(request);
		}
		ChatRequest request = call.request().withMessages(instructed);
		if (!call.store()) {
			return SessionTurn.none(request);
		}
		String id = named(request, req);
		if (id == null) {
			return s == null ? SessionTurn.none(request)
					: new SessionTurn(s, resp, null, false, List.of(), instructed, responseId, call.input(), request);
		}
		return session(s, resp, id, false, request, call.useServerHistory(), responseId, call.input());
	}

	private static SessionTurn session(SessionStore s, HttpServletResponse resp, String id, boolean fresh,
			ChatRequest request, Boolean useServerHistory, String responseId, List<ChatMessage> responseInput) {
		boolean server = useServerHistory != null ? useServerHistory
				: request.messages().stream().noneMatch(m -> ChatMessage.ASSISTANT.equals(m.role())
						|| ChatMessage.TOOL.equals(m.role()));
		if (s == null) {
			if (server) {
				throw noStore("session_id");
			}
			resp.setHeader(HEADER, id);
			return SessionTurn.none(request.withSessionId(id));
		}
		List<ChatMessage> stored = server && !fresh ? load(s, id) : List.of();
		resp.setHeader(HEADER, id);
		List<ChatMessage> merged = SessionTurn.merge(stored, request.messages());
		List<ChatMessage> responseHistory = new ArrayList<>(stored);
		responseHistory.addAll(responseInput);
		return new SessionTurn(s, resp, id, server, stored, request.messages(), responseId, responseHistory,
				request.withMessages(merged).withSessionId(id));
	}

	private static String named(ChatRequest request, HttpServletRequest req) {
		if (request.sessionId() != null && !request.sessionId().isBlank()) {
			return request.sessionId().trim();
		}
		String header = req.getHeader(HEADER);
		return header == null || header.isBlank() ? null : header.trim();
	}

	private static List<ChatMessage> load(SessionStore s, String id) {
		try {
			return s.load(id);
		} catch (ApiException e) {
			throw e;
		} catch (RuntimeException e) {
			throw ApiException.unavailable("The session store failed to load '" + id + "': " + e, Duration.ofSeconds(5));
		}
	}

	private static ApiException noStore(String param) {
		return ApiException.unavailable("Server-side history (" + param + ") needs a session store, and none is "
				+ "installed: install the runtime.session bundle", Duration.ofSeconds(5));
	}
}
