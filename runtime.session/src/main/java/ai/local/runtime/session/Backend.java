package ai.local.runtime.session;

import java.util.List;

import ai.local.runtime.api.SessionInfo;

/**
 * One kind of storage behind the SessionStore service. Ids arrive validated; failures are thrown as they come
 * (the service turns them into 503s naming the store).
 */
interface Backend extends AutoCloseable {

	/** The session's turns, oldest first; empty when unknown or expired. */
	List<Turn> turns(String id);

	/** Adds one turn atomically: concurrent appends to one session all land, each whole. */
	void append(String id, Turn turn);

	/** Replaces the whole history with one turn, atomically. */
	void replace(String id, Turn whole);

	boolean delete(String id);

	/** Up to {@code limit} sessions, most recently written first. */
	List<SessionInfo> list(int limit);

	/**
	 * Forgets every session of the namespace (reset on boot).
	 *
	 * @throws UnsupportedOperationException when the server cannot do it (retrying will not help)
	 */
	void clear();

	@Override
	void close();
}
