package ai.local.runtime.session;

import java.util.List;

import ai.local.runtime.api.ChatMessage;

/**
 * What one request added to a session: the new messages and the reply, stored as one unit so that concurrent
 * turns interleave whole and a turn is either all there or not at all.
 *
 * @param at when it was stored, epoch milliseconds
 */
record Turn(long at, List<ChatMessage> messages) {

	Turn {
		messages = List.copyOf(messages);
	}
}
