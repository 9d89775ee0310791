package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ToolCall;

class TemplateRulesTest {
	// the shape of Gemma's template: no system role, strict alternation, no tool role
	private static final String GEMMA = "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
			+ "{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
			+ "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% endfor %}";

	@Test
	void aTemplateWithoutRaiseExceptionGetsTheMessagesAsTheyAre() {
		List<ChatMessage> messages = List.of(ChatMessage.system("s"), ChatMessage.user("a"), ChatMessage.user("b"));
		assertSame(messages, TemplateRules.of("{{ messages }}").apply(messages));
	}

	@Test
	void aStrictTemplateGetsAlternatingTurnsWithoutSystemOrToolRoles() {
		TemplateRules rules = TemplateRules.of(GEMMA);
		List<ChatMessage> out = rules.apply(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Weather?"),
				ChatMessage.assistant(null, List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
				ChatMessage.tool("call_1", "sunny"), ChatMessage.user("Thanks"), ChatMessage.user("And tomorrow?")));
		assertEquals(List.of("user", "assistant", "user"), out.stream().map(ChatMessage::role).toList());
		assertEquals("Be brief.\n\nWeather?", out.get(0).text());
		assertEquals("{\"tool_call\": {\"id\": \"call_1\", \"name\": \"get_weather\", \"arguments\": {\"city\":\"Paris\"}}}",
				out.get(1).text());
		assertEquals("Result of tool call call_1: sunny\n\nThanks\n\nAnd tomorrow?", out.get(2).text());
	}

	@Test
	void aStrictTemplateThatKnowsSystemAndToolsKeepsThem() {
		TemplateRules rules = TemplateRules.of("{% if message['role'] == 'tool' %}{% endif %}{{ raise_exception('roles must alternate') }}");
		List<ChatMessage> out = rules.apply(List.of(ChatMessage.system("s"), ChatMessage.user("a"), ChatMessage.user("b")));
		assertEquals(List.of("system", "user"), out.stream().map(ChatMessage::role).toList());
		assertEquals("a\n\nb", out.get(1).text());
	}
}
