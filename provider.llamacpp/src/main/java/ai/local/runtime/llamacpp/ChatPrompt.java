package ai.local.runtime.llamacpp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

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
 * the system prompt are dropped, whole, as few as fit. The system prompt and the newest turn are never
 * dropped (the C++ original cut from the front and lost the system prompt); if even they do not fit, 400.
 */
record ChatPrompt(String text, int tokens, int droppedMessages) {
	static ChatPrompt build(LlamaModelHandle model, TemplateRules rules, ChatRequest request, OutputFormat format,
			int context, int maxTokens) {
		List<ChatMessage> messages = rules.apply(withInstruction(request.messages(), format.instruction()));
		int head = systemPrefix(messages);
		// where the kept messages may start after the system prompt: at head, or at any later user message
		List<Integer> cuts = new ArrayList<>();
		cuts.add(head);
		for (int i = head + 1; i < messages.size(); i++) {
			if (messages.get(i).role().equals(ChatMessage.USER)) {
				cuts.add(i);
			}
		}
		int budget = context - Math.min(maxTokens, context / 2);
		Map<Integer, ChatPrompt> tried = new HashMap<>();
		IntFunction<ChatPrompt> cutAt = j -> tried.computeIfAbsent(j, k -> render(model, messages, head, cuts.get(k), request));
		ChatPrompt prompt = cutAt.apply(0);
		if (prompt.tokens > budget && cuts.size() > 1) {
			// fewer tokens the more turns are dropped: the fewest dropped that fit (else all but the last turn)
			int lo = 1, hi = cuts.size() - 1;
			while (lo < hi) {
				int mid = (lo + hi) >>> 1;
				if (cutAt.apply(mid).tokens <= budget) {
					hi = mid;
				} else {
					lo = mid + 1;
				}
			}
			prompt = cutAt.apply(lo);
		}
		if (prompt.tokens >= context) {
			throw ApiException.invalidRequest("The prompt is " + prompt.tokens + " tokens" + (prompt.droppedMessages > 0
					? " even after dropping the " + prompt.droppedMessages + " oldest messages" : "")
					+ ", but a slot's context holds " + context + " tokens (n.ctx); shorten the system prompt or the "
					+ "last message", "messages");
		}
		return prompt;
	}

	/** The prompt of the system messages before {@code head} and the messages from {@code from} on. */
	private static ChatPrompt render(LlamaModelHandle model, List<ChatMessage> messages, int head, int from,
			ChatRequest request) {
		List<ChatMessage> kept = new ArrayList<>(messages.subList(0, head));
		kept.addAll(messages.subList(from, messages.size()));
		String text = render(model, kept, request);
		return new ChatPrompt(text, model.tokenize(text).length, from - head);
	}

	/** How many messages at the start are system (or developer) messages. */
	private static int systemPrefix(List<ChatMessage> messages) {
		int n = 0;
		while (n < messages.size() && isSystem(messages.get(n))) {
			n++;
		}
		return n;
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
		ObjectNode chat = Json.MAPPER.createObjectNode();
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
				fn.set("parameters", OutputFormat.parameters(t));
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
			Json.MAPPER.readTree(arguments);
			return arguments;
		} catch (java.io.IOException e) {
			throw ApiException.invalidRequest(param + " is not valid JSON", param);
		}
	}

	private static ObjectNode message(ChatMessage m, int index) {
		ObjectNode o = Json.MAPPER.createObjectNode();
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
