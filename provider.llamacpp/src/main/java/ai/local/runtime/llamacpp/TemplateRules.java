package ai.local.runtime.llamacpp;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.ToolCall;

/**
 * What a chat template refuses, and messages reshaped so that it does not. Many templates (Gemma, Mistral,
 * Llama 2 ...) call {@code raise_exception} for a system message, a tool message or two turns of the same
 * role in a row: the model was never trained on such a conversation, and llama.cpp's built-in format of that
 * template drops or garbles what the template would refuse. For such a template: tool results become user messages and tool calls assistant text where it knows no tool role, a
 * system prompt it cannot take joins the first user message, and consecutive messages of one role are merged.
 */
record TemplateRules(boolean strict, boolean toolRole, boolean systemRole) {

	static final TemplateRules LENIENT = new TemplateRules(false, true, true);

	static TemplateRules of(String template) {
		if (template == null || !template.contains("raise_exception")) {
			return LENIENT;
		}
		boolean tool = template.contains("'tool'") || template.contains("\"tool\"") || template.contains("tool_calls");
		boolean system = !template.matches("(?s).*raise_exception\\([^)]*[Ss]ystem.*");
		return new TemplateRules(true, tool, system);
	}

	List<ChatMessage> apply(List<ChatMessage> messages) {
		if (!strict) {
			return messages;
		}
		List<ChatMessage> out = new ArrayList<>();
		String pendingSystem = null;
		for (ChatMessage m : messages) {
			ChatMessage next = m;
			boolean isSystem = m.role().equals(ChatMessage.SYSTEM) || m.role().equals(ChatMessage.DEVELOPER);
			if (isSystem && !systemRole) {
				pendingSystem = pendingSystem == null ? m.text() : pendingSystem + "\n\n" + m.text();
				continue;
			}
			if (!toolRole && m.role().equals(ChatMessage.TOOL)) {
				next = ChatMessage.user("Result of tool call " + m.toolCallId() + ": " + m.text());
			} else if (!toolRole && !m.toolCalls().isEmpty()) {
				String calls = m.toolCalls().stream().map(TemplateRules::describe).collect(Collectors.joining("\n"));
				next = ChatMessage.assistant(m.text().isEmpty() ? calls : m.text() + "\n" + calls, List.of());
			}
			if (pendingSystem != null && next.role().equals(ChatMessage.USER)) {
				next = ChatMessage.user(pendingSystem + "\n\n" + next.text());
				pendingSystem = null;
			}
			ChatMessage last = out.isEmpty() ? null : out.get(out.size() - 1);
			if (last != null && last.role().equals(next.role()) && last.toolCalls().isEmpty() && next.toolCalls().isEmpty()
					&& !next.role().equals(ChatMessage.TOOL)) {
				List<ContentPart> joined = new ArrayList<>(last.content());
				joined.add(ContentPart.text("\n\n"));
				joined.addAll(next.content());
				out.set(out.size() - 1, new ChatMessage(last.role(), joined, last.name(), List.of(), null));
			} else {
				out.add(next);
			}
		}
		if (pendingSystem != null) {
			out.add(0, ChatMessage.user(pendingSystem));
		}
		return out;
	}

	private static String describe(ToolCall c) {
		return "{\"tool_call\": {\"id\": \"" + c.id() + "\", \"name\": \"" + c.name() + "\", \"arguments\": "
				+ (c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments()) + "}}";
	}
}
