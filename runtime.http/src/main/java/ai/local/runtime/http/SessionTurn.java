package ai.local.runtime.http;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.api.ToolLoopResult;

/**
 * One request's part in server-side history: the request the model sees (stored history + the new messages)
 * and, once the reply is complete, what gets stored. Recording never fails the request: the answer is the
 * client's either way; a store that cannot take the turn is logged and, where headers can still be sent, named
 * in {@code x-runtime-session-error}.
 */
final class SessionTurn {
	private static final Logger LOG = LoggerFactory.getLogger(SessionTurn.class);
	static final String ERROR_HEADER = "x-runtime-session-error";

	private final SessionStore store;
	private final HttpServletResponse resp;
	private final String sessionId;
	private final boolean serverHistory;
	private final List<ChatMessage> stored;
	private final List<ChatMessage> sent;
	private final String responseId;
	private final List<ChatMessage> responseHistory;
	private final ChatRequest request;

	/**
	 * @param sessionId the session to record into; null for none
	 * @param responseId the Responses API id to keep the conversation under; null for none
	 * @param responseHistory what precedes the reply under {@code responseId}
	 */
	SessionTurn(SessionStore store, HttpServletResponse resp, String sessionId, boolean serverHistory,
			List<ChatMessage> stored, List<ChatMessage> sent, String responseId, List<ChatMessage> responseHistory,
			ChatRequest request) {
		this.store = store;
		this.resp = resp;
		this.sessionId = sessionId;
		this.serverHistory = serverHistory;
		this.stored = stored;
		this.sent = sent;
		this.responseId = responseId;
		this.responseHistory = responseHistory;
		this.request = request;
	}

	/** A request that keeps nothing. */
	static SessionTurn none(ChatRequest request) {
		return new SessionTurn(null, null, null, false, List.of(), List.of(), null, List.of(), request);
	}

	/** What the provider is asked: the stored history merged with the new messages. */
	ChatRequest request() {
		return request;
	}

	/**
	 * The model sees the request's leading system messages (or, when it has none, the stored ones), then the
	 * stored conversation, then the request's other messages.
	 */
	static List<ChatMessage> merge(List<ChatMessage> stored, List<ChatMessage> sent) {
		if (stored.isEmpty()) {
			return sent;
		}
		List<ChatMessage> sentSystem = system(sent);
		List<ChatMessage> merged = new ArrayList<>(sentSystem.isEmpty() ? system(stored) : sentSystem);
		merged.addAll(stored.subList(system(stored).size(), stored.size()));
		merged.addAll(sent.subList(sentSystem.size(), sent.size()));
		return merged;
	}

	/** Stores the completed turn; call before the answer's last byte goes out. */
	void record(ChatResult result) {
		if (result.finishReason() != null) {
			record(List.of(result.message()));
		}
	}

	/** Stores a server-side tool run: its tool calls, their results and the answer, as the model saw them. */
	void record(ToolLoopResult run) {
		record(run.transcript());
	}

	private void record(List<ChatMessage> replies) {
		if (store == null || replies.isEmpty()) {
			return;
		}
		try {
			if (sessionId != null) {
				recordSession(replies);
			}
			if (responseId != null) {
				List<ChatMessage> conversation = new ArrayList<>(responseHistory);
				conversation.addAll(replies);
				store.replace(responseId, conversation);
			}
		} catch (RuntimeException e) {
			String reason = e instanceof ApiException ? e.getMessage() : e.toString();
			LOG.warn("the turn of session {} was not stored: {}", sessionId != null ? sessionId : responseId, reason);
			if (resp != null && !resp.isCommitted()) {
				resp.setHeader(ERROR_HEADER, reason);
			}
		}
	}

	private void recordSession(List<ChatMessage> replies) {
		List<ChatMessage> sentSystem = system(sent);
		List<ChatMessage> turn = new ArrayList<>();
		if (!serverHistory) {
			// the client sent the whole conversation: the session becomes exactly that
			turn.addAll(sent);
			turn.addAll(replies);
			store.replace(sessionId, turn);
		} else if (stored.isEmpty() || sentSystem.isEmpty() || sentSystem.equals(system(stored))) {
			turn.addAll(stored.isEmpty() ? sent : sent.subList(sentSystem.size(), sent.size()));
			turn.addAll(replies);
			store.append(sessionId, turn);
		} else {
			// new instructions replace the stored ones; the conversation keeps going, as the model saw it
			turn.addAll(request.messages());
			turn.addAll(replies);
			store.replace(sessionId, turn);
		}
	}

	private static List<ChatMessage> system(List<ChatMessage> messages) {
		int n = 0;
		while (n < messages.size() && (ChatMessage.SYSTEM.equals(messages.get(n).role())
				|| ChatMessage.DEVELOPER.equals(messages.get(n).role()))) {
			n++;
		}
		return messages.subList(0, n);
	}
}
