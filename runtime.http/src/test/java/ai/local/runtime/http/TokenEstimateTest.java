package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ToolDefinition;

class TokenEstimateTest {

	@Test
	void aboutFourCharactersATokenPlusEachMessagesFrame() {
		ChatRequest one = ChatRequest.of("m", List.of(ChatMessage.user("x".repeat(400))));
		assertEquals(100 + 4, TokenEstimate.of(one));
		ChatRequest withTool = one.withTools(List.of(new ToolDefinition("add", "adds two numbers",
				Map.of("type", "object"), false)));
		assertTrue(TokenEstimate.of(withTool) > TokenEstimate.of(one), "tools count too");
		assertEquals(0, TokenEstimate.of(ChatRequest.of("m", List.of())));
	}
}
