package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ChatMessage;

class SessionTurnTest {
	private static final ChatMessage SYS_A = ChatMessage.system("A");
	private static final ChatMessage SYS_B = ChatMessage.system("B");

	private static List<String> texts(List<ChatMessage> messages) {
		return messages.stream().map(m -> m.role().charAt(0) + ":" + m.text()).toList();
	}

	@Test
	void withoutStoredHistoryTheRequestIsSentAsIs() {
		List<ChatMessage> sent = List.of(SYS_A, ChatMessage.user("q"));
		assertEquals(sent, SessionTurn.merge(List.of(), sent));
	}

	@Test
	void storedHistoryGoesBetweenTheSystemPromptAndTheNewMessages() {
		List<ChatMessage> stored = List.of(SYS_A, ChatMessage.user("one"), ChatMessage.assistant("1", List.of()));
		assertEquals(List.of("s:A", "u:one", "a:1", "u:two"),
				texts(SessionTurn.merge(stored, List.of(SYS_A, ChatMessage.user("two")))), "not repeated");
		assertEquals(List.of("s:A", "u:one", "a:1", "u:two"),
				texts(SessionTurn.merge(stored, List.of(ChatMessage.user("two")))), "kept when the request has none");
		assertEquals(List.of("s:B", "u:one", "a:1", "u:two"),
				texts(SessionTurn.merge(stored, List.of(SYS_B, ChatMessage.user("two")))), "replaced by new instructions");
	}
}
