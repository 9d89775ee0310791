package ai.local.runtime.session;

import java.util.List;

import ai.local.runtime.api.ChatMessage;

/**
 * What one request added to a session: the new messages and the reply, stored as one unit so that concurrent
 * turns interleave whole and a turn is either all there or not at all. Reasoning is not kept.
 *
 * @param at when it was stored, epoch milliseconds
 */
record Turn(long at, List<ChatMessage> messages) {

	Turn {
		// reasoning a client sent back is for the next prompt only, never history
		messages = messages.stream().map(m -> m.reasoning() == null ? m
				: new ChatMessage(m.role(), m.content(), m.name(), m.toolCalls(), m.toolCallId())).toList();
	}
}
