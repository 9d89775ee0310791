package ai.local.runtime.toolloop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolDefinition;

/**
 * The conversation for a provider without native tools: the tools described in the system message with how to
 * call them ({@code <tool_call>{...}</tool_call>}), the model's earlier calls written the same way, and tool
 * results as user messages starting {@code TOOL_RESULT}.
 */
final class ToolPrompt {

	private ToolPrompt() {
	}

	static List<ChatMessage> render(List<ChatMessage> messages, List<ToolDefinition> tools) {
		List<ChatMessage> out = new ArrayList<>();
		Map<String, String> names = new HashMap<>();
		String instructions = tools.isEmpty() ? null : instructions(tools);
		int i = 0;
		if (instructions != null) {
			StringBuilder system = new StringBuilder();
			while (i < messages.size() && ChatMessage.SYSTEM.equals(messages.get(i).role())) {
				system.append(messages.get(i).text()).append("\n\n");
				i++;
			}
			out.add(ChatMessage.system(system + instructions));
		}
		for (; i < messages.size(); i++) {
			ChatMessage m = messages.get(i);
			if (ChatMessage.ASSISTANT.equals(m.role()) && !m.toolCalls().isEmpty()) {
				StringBuilder text = new StringBuilder(m.text());
				for (ToolCall c : m.toolCalls()) {
					names.put(c.id(), c.name());
					text.append(text.length() == 0 ? "" : "\n").append("<tool_call>")
							.append(json(Map.of("name", c.name(), "arguments", Trace.arguments(c.arguments()))))
							.append("</tool_call>");
				}
				out.add(new ChatMessage(ChatMessage.ASSISTANT, List.of(ContentPart.text(text.toString())), null, null,
						null));
			} else if (ChatMessage.TOOL.equals(m.role())) {
				String name = names.getOrDefault(m.toolCallId(), m.name() != null ? m.name() : "tool");
				out.add(ChatMessage.user("TOOL_RESULT " + name + ": " + m.text()));
			} else {
				out.add(m);
			}
		}
		return out;
	}

	private static String instructions(List<ToolDefinition> tools) {
		StringBuilder s = new StringBuilder("You can call these tools:\n");
		for (ToolDefinition t : tools) {
			s.append("- ").append(t.name());
			if (t.description() != null) {
				s.append(": ").append(t.description());
			}
			s.append("\n  parameters: ").append(json(t.parameters() == null ? Map.of() : t.parameters())).append('\n');
		}
		s.append("To call a tool, answer with only <tool_call>{\"name\": \"TOOL\", \"arguments\": {...}}</tool_call> ")
				.append("(one such line per call). Its result comes back as a message starting TOOL_RESULT. ")
				.append("When no tool is needed, answer normally.");
		return s.toString();
	}

	static String json(Object value) {
		try {
			return TextToolCalls.JSON.writeValueAsString(value);
		} catch (JsonProcessingException e) {
			return String.valueOf(value);
		}
	}
}
