package ai.local.runtime.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Keeps conversations between requests, under the store's configured namespace. Implementations: memory,
 * file, Redis. A store that cannot be reached throws {@link ApiException} with
 * {@link ErrorType#UNAVAILABLE}; an id that is not 1 to 200 letters, digits or {@code . _ : @ -} throws
 * {@link ErrorType#INVALID_REQUEST}. A write either lands whole or not at all.
 */
@ConsumerType
public interface SessionStore {

	/** The stored history of a session, oldest first; empty when the session is unknown. */
	List<ChatMessage> load(String sessionId);

	/**
	 * Adds one turn (the new messages and the reply) to the end of a session's history, creating it when
	 * needed. Concurrent appends to one session all land, each whole.
	 */
	void append(String sessionId, List<ChatMessage> messages);

	/** Replaces a session's whole history. An empty list deletes nothing: use {@link #delete}. */
	void replace(String sessionId, List<ChatMessage> history);

	/** Forgets a session; true when it existed. */
	boolean delete(String sessionId);

	/** Up to {@code limit} stored sessions, most recently written first where the store knows the order. */
	default List<SessionInfo> list(int limit) {
		return List.of();
	}
}
