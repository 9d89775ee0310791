package ai.local.runtime.test.scripted;

import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ToolDefinition;

/**
 * What the scripted provider answers, as a list of pieces. Models:
 * <ul>
 * <li>{@code echo}: "You said: " + the last user message, one piece per word; {@code thinker} the same after
 * thinking (see ScriptedProvider#thoughts)</li>
 * <li>{@code tools}: calls the offered tools (all of them, or the first when parallel calls are off) with
 * {@code {"a":2,"b":3}}; after a tool message, answers "The result is " + its content</li>
 * <li>{@code slow}: 200 numbered pieces with a delay between them</li>
 * <li>{@code json}: a JSON object text</li>
 * <li>{@code recall}: what it was shown, as "system=… users=a,b messages=N" (for server-side history)</li>
 * <li>{@code tools-forever}: calls the offered tools whatever it is shown; offered none, answers "Stopped after
 * N tool results: …" with their contents</li>
 * <li>{@code planner}: asked for a plan (response format {@code tool_plan}), first plans {@code add} with a string
 * where the schema wants a number, then, told what is wrong, the corrected plan; afterwards answers like
 * {@code tools}. {@code planner-bad} never corrects its plan.</li>
 * </ul>
 */
record Script(List<String> pieces, List<ToolDefinition> calls) {

	static final String ARGUMENTS = "{\"a\":2,\"b\":3}";

	static Script of(ChatRequest request) {
		ChatMessage last = request.messages().get(request.messages().size() - 1);
		switch (request.model()) {
		case "echo", "thinker":
			return text("You said: " + lastUserText(request));
		case "json":
			return text("{\"answer\": 42}");
		case "recall":
			return text(recall(request));
		case "slow":
			List<String> pieces = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				pieces.add("p" + i + " ");
			}
			return new Script(pieces, List.of());
		case "tools-forever":
			if (request.tools().isEmpty()) {
				List<String> results = request.messages().stream().filter(m -> ChatMessage.TOOL.equals(m.role()))
						.map(ChatMessage::text).toList();
				return text("Stopped after " + results.size() + " tool results: " + String.join(" | ", results));
			}
			return new Script(List.of(), request.tools());
		case "planner", "planner-bad":
			if (request.responseFormat() != null && "tool_plan".equals(request.responseFormat().name())) {
				boolean rewrite = ChatMessage.ASSISTANT.equals(request.messages().get(request.messages().size() - 2).role());
				return text(rewrite && request.model().equals("planner")
						? "{\"steps\": [{\"tool\": \"add\", \"arguments\": {\"a\": 2, \"b\": 3}}]}"
						: "{\"steps\": [{\"tool\": \"add\", \"arguments\": {\"a\": \"two\", \"b\": 3}}]}");
			}
			return Script.of(request.withModel("tools"));
		case "tools":
			if (ChatMessage.TOOL.equals(last.role())) {
				return text("The result is " + last.text());
			}
			if (request.tools().isEmpty()) {
				return text("No tools were offered.");
			}
			boolean parallel = !Boolean.FALSE.equals(request.parallelToolCalls());
			return new Script(List.of(), parallel ? request.tools() : request.tools().subList(0, 1));
		default:
			return null;
		}
	}

	private static Script text(String s) {
		List<String> pieces = new ArrayList<>();
		for (String word : s.split("(?<= )")) {
			pieces.add(word);
		}
		return new Script(pieces, List.of());
	}

	private static String recall(ChatRequest request) {
		List<String> system = new ArrayList<>();
		List<String> users = new ArrayList<>();
		for (ChatMessage m : request.messages()) {
			if (ChatMessage.SYSTEM.equals(m.role())) {
				system.add(m.text());
			} else if (ChatMessage.USER.equals(m.role())) {
				users.add(m.text());
			}
		}
		return "system=" + String.join("+", system) + " users=" + String.join(",", users) + " messages="
				+ request.messages().size();
	}

	private static String lastUserText(ChatRequest request) {
		for (int i = request.messages().size() - 1; i >= 0; i--) {
			if (ChatMessage.USER.equals(request.messages().get(i).role())) {
				return request.messages().get(i).text();
			}
		}
		return "";
	}

	/** Whitespace-separated words: a stand-in tokenizer, so usage counts are real counts of something. */
	static int tokens(String s) {
		String t = s.strip();
		return t.isEmpty() ? 0 : t.split("\\s+").length;
	}

	static int promptTokens(ChatRequest request) {
		int n = 0;
		for (ChatMessage m : request.messages()) {
			n += tokens(m.text()) + 1;
		}
		return n;
	}
}
