package ai.local.runtime.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One message of a conversation, OpenAI-shaped.
 *
 * @param role system, developer, user, assistant or tool
 * @param content text and media parts; empty for an assistant turn that only calls tools
 * @param name optional participant name
 * @param toolCalls the calls an assistant message makes; empty otherwise
 * @param toolCallId for a tool message: the id of the call it answers
 * @param reasoning what an assistant turn reasoned, as a client sends it back ({@code reasoning_content}); null
 *        when none. Only for the chat template of the next turn (some render the latest turns' reasoning), never
 *        stored in a session's history.
 */
public record ChatMessage(String role, List<ContentPart> content, String name, List<ToolCall> toolCalls,
		String toolCallId, String reasoning) {

	public static final String SYSTEM = "system";
	public static final String DEVELOPER = "developer";
	public static final String USER = "user";
	public static final String ASSISTANT = "assistant";
	public static final String TOOL = "tool";

	public ChatMessage {
		content = content == null ? List.of() : List.copyOf(content);
		toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
		reasoning = reasoning == null || reasoning.isEmpty() ? null : reasoning;
	}

	/** A message without reasoning. */
	public ChatMessage(String role, List<ContentPart> content, String name, List<ToolCall> toolCalls, String toolCallId) {
		this(role, content, name, toolCalls, toolCallId, null);
	}

	public static ChatMessage system(String text) {
		return new ChatMessage(SYSTEM, List.of(ContentPart.text(text)), null, null, null);
	}

	public static ChatMessage user(String text) {
		return new ChatMessage(USER, List.of(ContentPart.text(text)), null, null, null);
	}

	public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
		List<ContentPart> parts = text == null || text.isEmpty() ? List.of() : List.of(ContentPart.text(text));
		return new ChatMessage(ASSISTANT, parts, null, toolCalls, null);
	}

	public static ChatMessage tool(String toolCallId, String text) {
		return new ChatMessage(TOOL, List.of(ContentPart.text(text)), null, null, toolCallId);
	}

	/** The text parts joined; "" when there are none. */
	public String text() {
		return content.stream().filter(p -> p.text() != null).map(ContentPart::text).collect(Collectors.joining());
	}
}
