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
 * The prompt for a chat request, rendered by the model's own chat template in Java ({@link ModelTemplate}): tools
 * and earlier tool calls in the model's own format where the template has one, else tool definitions listed in
 * the system prompt and earlier calls as the JSON the model is asked to write ({@link ToolSyntax#GENERIC}). A
 * template the Java engine cannot parse falls back to llama.cpp's built-in chat formats (ChatML when llama.cpp does
 * not recognise it either). The prompt is fitted into one slot's context: when it does not fit, the oldest turns after
 * the system prompt are dropped, whole, as few as fit. The system prompt and the newest turn are never
 * dropped (the C++ original cut from the front and lost the system prompt); if even they do not fit, 400.
 */
record ChatPrompt(String text, int[] ids, int droppedMessages) {
	int tokens() {
		return ids.length;
	}

	static ChatPrompt build(LlamaModelHandle model, ModelTemplate template, ChatRequest request, OutputFormat format,
			int context, int maxTokens) {
		List<ChatMessage> withInstruction = withSystemText(request.messages(), format.instruction());
		List<ChatMessage> messages = template.jinja() == null ? template.rules().apply(withInstruction) : withInstruction;
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
		IntFunction<ChatPrompt> cutAt = j -> tried.computeIfAbsent(j, k -> render(model, template, format, messages, head,
				cuts.get(k), request));
		ChatPrompt prompt = cutAt.apply(0);
		if (prompt.tokens() > budget && cuts.size() > 1) {
			// fewer tokens the more turns are dropped: the fewest dropped that fit (else all but the last turn)
			int lo = 1, hi = cuts.size() - 1;
			while (lo < hi) {
				int mid = (lo + hi) >>> 1;
				if (cutAt.apply(mid).tokens() <= budget) {
					hi = mid;
				} else {
					lo = mid + 1;
				}
			}
			prompt = cutAt.apply(lo);
		}
		if (prompt.tokens() >= context) {
			throw ApiException.invalidRequest("The prompt is " + prompt.tokens() + " tokens" + (prompt.droppedMessages > 0
					? " even after dropping the " + prompt.droppedMessages + " oldest messages" : "")
					+ ", but a slot's context holds " + context + " tokens (n.ctx); shorten the system prompt or the "
					+ "last message", "messages");
		}
		return prompt;
	}

	/** The prompt of the system messages before {@code head} and the messages from {@code from} on. */
	private static ChatPrompt render(LlamaModelHandle model, ModelTemplate template, OutputFormat format,
			List<ChatMessage> messages, int head, int from, ChatRequest request) {
		List<ChatMessage> kept = new ArrayList<>(messages.subList(0, head));
		kept.addAll(messages.subList(from, messages.size()));
		String text = template.jinja() != null ? jinja(template, format, kept, request) : render(model, kept, request);
		return new ChatPrompt(text, model.tokenize(text, true), from - head);
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

	/** The text appended to the system prompt (or as one): the output format's instruction, the tools' list. */
	private static List<ChatMessage> withSystemText(List<ChatMessage> messages, String text) {
		if (text == null) {
			return messages;
		}
		List<ChatMessage> out = new ArrayList<>(messages);
		if (!out.isEmpty() && isSystem(out.get(0))) {
			out.set(0, ChatMessage.system(out.get(0).text() + "\n\n" + text));
		} else {
			out.add(0, ChatMessage.system(text));
		}
		return out;
	}

	/**
	 * Rendered by the template: with the request's tools when they are offered in the model's own format; else
	 * (a template without tool support) with the tools listed in the system prompt and earlier calls as JSON text.
	 */
	private static String jinja(ModelTemplate template, OutputFormat format, List<ChatMessage> messages,
			ChatRequest request) {
		if (template.syntax().nativeFormat()) {
			// the tools go to the template also where a grammar holds the output to the generic format
			return template.render(messages, request, OutputFormat.offersTools(request));
		}
		List<ChatMessage> out = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			ChatMessage m = messages.get(i);
			out.add(m.toolCalls().isEmpty() ? m : ChatMessage.assistant(turn(m, i)[1], List.of()));
		}
		return template.render(withSystemText(out, OutputFormat.offersTools(request) ? tools(request) : null), request,
				false);
	}

	private static String render(LlamaModelHandle model, List<ChatMessage> messages, ChatRequest request) {
		List<String[]> turns = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			turns.add(turn(messages.get(i), i));
		}
		if (OutputFormat.offersTools(request)) {
			String tools = tools(request);
			if (!turns.isEmpty() && turns.get(0)[0].equals(ChatMessage.SYSTEM)) {
				turns.set(0, new String[] { ChatMessage.SYSTEM, turns.get(0)[1] + "\n\n" + tools });
			} else {
				turns.add(0, new String[] { ChatMessage.SYSTEM, tools });
			}
		}
		String template = model.info().chatTemplate();
		String text = template.isEmpty() ? null : model.renderBuiltin(template, turns, true);
		return text != null ? text : chatMl(turns);
	}

	/** llama-server's fallback for a template llama.cpp does not know. */
	static String chatMl(List<String[]> turns) {
		StringBuilder b = new StringBuilder();
		for (String[] t : turns) {
			b.append("<|im_start|>").append(t[0]).append('\n').append(t[1]).append("<|im_end|>\n");
		}
		return b.append("<|im_start|>assistant\n").toString();
	}

	/** The tool definitions as the system prompt lists them, one JSON object per line. */
	private static String tools(ChatRequest request) {
		StringBuilder b = new StringBuilder("You can call these tools:");
		for (ToolDefinition t : request.tools()) {
			ObjectNode fn = Json.MAPPER.createObjectNode().put("name", t.name());
			if (t.description() != null && !t.description().isEmpty()) {
				fn.put("description", t.description());
			}
			fn.set("parameters", OutputFormat.parameters(t));
			b.append('\n').append(fn);
		}
		return b.toString();
	}

	/** A message as role and text; assistant tool calls in the format the model is asked to write them in. */
	private static String[] turn(ChatMessage m, int index) {
		for (ContentPart p : m.content()) {
			if (p.text() == null) {
				throw ApiException.invalidRequest("This model reads text only; content of type '" + p.type()
						+ "' is not supported", "messages[" + index + "].content");
			}
		}
		String role = m.role().equals(ChatMessage.DEVELOPER) ? ChatMessage.SYSTEM : m.role();
		if (m.toolCalls().isEmpty()) {
			return new String[] { role, m.text() };
		}
		ObjectNode doc = Json.MAPPER.createObjectNode();
		ArrayNode calls = doc.putArray("tool_calls");
		for (int j = 0; j < m.toolCalls().size(); j++) {
			ToolCall c = m.toolCalls().get(j);
			calls.addObject().put("name", c.name()).set("arguments",
					arguments(c.arguments(), "messages[" + index + "].tool_calls[" + j + "].function.arguments"));
		}
		return new String[] { role, m.text().isEmpty() ? doc.toString() : m.text() + "\n" + doc };
	}

	private static com.fasterxml.jackson.databind.JsonNode arguments(String arguments, String param) {
		if (arguments == null || arguments.isBlank()) {
			return Json.MAPPER.createObjectNode();
		}
		try {
			return Json.MAPPER.readTree(arguments);
		} catch (java.io.IOException e) {
			throw ApiException.invalidRequest(param + " is not valid JSON", param);
		}
	}
}
