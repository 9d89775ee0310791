package ai.local.runtime.llamacpp;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;

/**
 * The prompt for a chat request, rendered by the model's own chat template (tools, assistant tool calls and
 * tool results included), and fitted into one slot's context: when it does not fit, the oldest turns after
 * the system prompt are dropped, whole, until it does. The system prompt and the newest turn are never
 * dropped (the C++ original cut from the front and lost the system prompt); if even they do not fit, 400.
 */
record ChatPrompt(String text, int tokens, int droppedMessages) {
	private static final ObjectMapper JSON = new ObjectMapper();

	static ChatPrompt build(LlamaModelHandle model, TemplateRules rules, ChatRequest request, OutputFormat format,
			int context, int maxTokens) {
		List<ChatMessage> messages = rules.apply(withInstruction(request.messages(), format.instruction()));
		int head = 0;
		while (head < messages.size() && isSystem(messages.get(head))) {
			head++;
		}
		int lastTurn = messages.size() - 1;
		while (lastTurn > head && !messages.get(lastTurn).role().equals(ChatMessage.USER)) {
			lastTurn--;
		}
		int budget = context - Math.min(maxTokens, context / 2);
		List<ChatMessage> kept = new ArrayList<>(messages);
		int dropped = 0;
		String text = render(model, kept, request);
		int tokens = model.tokenize(text).length;
		while (tokens > budget && head < lastTurn - dropped) {
			int end = head + 1;
			while (end < lastTurn - dropped && !kept.get(end).role().equals(ChatMessage.USER)) {
				end++;
			}
			kept.subList(head, end).clear();
			dropped += end - head;
			text = render(model, kept, request);
			tokens = model.tokenize(text).length;
		}
		if (tokens >= context) {
			throw ApiException.invalidRequest("The prompt is " + tokens + " tokens" + (dropped > 0
					? " even after dropping the " + dropped + " oldest messages" : "") + ", but a slot's context holds "
					+ context + " tokens (n.ctx); shorten the system prompt or the last message", "messages");
		}
		return new ChatPrompt(text, tokens, dropped);
	}

	private static boolean isSystem(ChatMessage m) {
		return m.role().equals(ChatMessage.SYSTEM) || m.role().equals(ChatMessage.DEVELOPER);
	}

	/** The output format's instruction, appended to the system prompt (or as one). */
	private static List<ChatMessage> withInstruction(List<ChatMessage> messages, String instruction) {
		if (instruction == null) {
			return messages;
		}
		List<ChatMessage> out = new ArrayList<>(messages);
		if (!out.isEmpty() && isSystem(out.get(0))) {
			out.set(0, ChatMessage.system(out.get(0).text() + "\n\n" + instruction));
		} else {
			out.add(0, ChatMessage.system(instruction));
		}
		return out;
	}

	private static String render(LlamaModelHandle model, List<ChatMessage> messages, ChatRequest request) {
		ObjectNode chat = JSON.createObjectNode();
		ArrayNode list = chat.putArray("messages");
		for (int i = 0; i < messages.size(); i++) {
			list.add(message(messages.get(i), i));
		}
		if (OutputFormat.offersTools(request)) {
			ArrayNode tools = chat.putArray("tools");
			for (ToolDefinition t : request.tools()) {
				// llama.cpp aborts the JVM on a tool without a description: always give one
				ObjectNode fn = tools.addObject().put("type", "function").putObject("function").put("name", t.name())
						.put("description", t.description() == null ? "" : t.description());
				fn.set("parameters", t.parameters() == null ? JSON.createObjectNode().put("type", "object")
						: JSON.valueToTree(t.parameters()));
			}
		}
		chat.put("add_generation_prompt", true);
		try {
			return model.applyTemplate(chat.toString());
		} catch (RuntimeException e) {
			throw ApiException.invalidRequest("The model's chat template cannot render these messages: "
					+ e.getMessage(), "messages");
		}
	}

	/** Templates may parse the arguments, and llama.cpp aborts the JVM on invalid JSON there: check first. */
	private static String arguments(String arguments, String param) {
		if (arguments == null || arguments.isBlank()) {
			return "{}";
		}
		try {
			JSON.readTree(arguments);
			return arguments;
		} catch (java.io.IOException e) {
			throw ApiException.invalidRequest(param + " is not valid JSON", param);
		}
	}

	private static ObjectNode message(ChatMessage m, int index) {
		ObjectNode o = JSON.createObjectNode();
		o.put("role", m.role().equals(ChatMessage.DEVELOPER) ? ChatMessage.SYSTEM : m.role());
		for (ContentPart p : m.content()) {
			if (p.text() == null) {
				throw ApiException.invalidRequest("This model reads text only; content of type '" + p.type()
						+ "' is not supported", "messages[" + index + "].content");
			}
		}
		o.put("content", m.text());
		if (m.name() != null) {
			o.put("name", m.name());
		}
		if (!m.toolCalls().isEmpty()) {
			ArrayNode calls = o.putArray("tool_calls");
			for (int j = 0; j < m.toolCalls().size(); j++) {
				ToolCall c = m.toolCalls().get(j);
				calls.addObject().put("id", c.id() == null ? "call_" + index + "_" + j : c.id()).put("type", "function")
						.putObject("function").put("name", c.name())
						.put("arguments", arguments(c.arguments(), "messages[" + index + "].tool_calls[" + j + "].function.arguments"));
			}
		}
		if (m.toolCallId() != null) {
			o.put("tool_call_id", m.toolCallId());
		}
		return o;
	}
}
