package ai.local.runtime.testing.upstream;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the fakes answer, decided from the request so tests can predict it: with tools offered and no tool
 * result yet, a call of the first tool with {@code {"a":2,"b":3}} (two calls when the user says "twice");
 * after a tool result, "The tool said X."; otherwise "Hello from MODEL: LAST USER TEXT", cut to max tokens.
 * Tokens are words with their leading space. When the user asks the model to "think", a reasoning model's
 * thinking comes first: "Thinking about: LAST USER TEXT" (sent apart from the answer, as reasoning).
 */
public record Script(List<String> tokens, List<Call> calls, boolean truncated, int promptTokens,
		List<String> reasoning) {

	public record Call(String name, String arguments) {
	}

	public static Script answer(String model, JsonNode messages, JsonNode tools, Integer maxTokens) {
		int prompt = 0;
		String lastUser = "";
		String lastTool = null;
		for (JsonNode m : messages) {
			String text = text(m.get("content"));
			prompt += words(text).size() + 3;
			if ("user".equals(m.path("role").asText())) {
				lastUser = text;
				lastTool = null;
			} else if ("tool".equals(m.path("role").asText())) {
				lastTool = text;
			}
		}
		if (tools != null && tools.isArray() && tools.size() > 0 && lastTool == null) {
			String name = tools.get(0).path("function").path("name").asText();
			List<Call> calls = new ArrayList<>();
			calls.add(new Call(name, "{\"a\":2,\"b\":3}"));
			if (lastUser.contains("twice")) {
				calls.add(new Call(name, "{\"a\":5,\"b\":7}"));
			}
			return new Script(List.of(), calls, false, prompt, List.of());
		}
		String reply = lastTool != null ? "The tool said " + lastTool + "." : "Hello from " + model + ": " + lastUser;
		List<String> tokens = words(reply);
		boolean cut = maxTokens != null && tokens.size() > maxTokens;
		List<String> reasoning = (" " + lastUser + " ").contains(" think ") ? words("Thinking about: " + lastUser)
				: List.<String>of();
		return new Script(cut ? tokens.subList(0, maxTokens) : tokens, List.of(), cut, prompt, reasoning);
	}

	/**
	 * The prompt tokens of every message but the last: what a server with prefix caching (OpenAI, vLLM,
	 * llama-server) reports as {@code cached_tokens} once it has seen the conversation so far.
	 */
	public static int cachedTokens(JsonNode messages) {
		int cached = 0;
		for (int i = 0; i < messages.size() - 1; i++) {
			cached += words(text(messages.get(i).get("content"))).size() + 3;
		}
		return cached;
	}

	public String text() {
		return String.join("", tokens);
	}

	public String reasoningText() {
		return String.join("", reasoning);
	}

	static List<String> words(String text) {
		List<String> out = new ArrayList<>();
		int start = 0;
		for (int i = 1; i <= text.length(); i++) {
			if (i == text.length() || text.charAt(i) == ' ') {
				if (i > start) {
					out.add(text.substring(start, i));
				}
				start = i;
			}
		}
		return out;
	}

	static String text(JsonNode content) {
		if (content == null || content.isNull()) {
			return "";
		}
		if (content.isArray()) {
			StringBuilder sb = new StringBuilder();
			content.forEach(p -> sb.append(p.path("text").asText("")));
			return sb.toString();
		}
		return content.asText();
	}

	/** A deterministic unit-length vector for a text. */
	public static float[] vector(String text, int dimensions) {
		float[] v = new float[dimensions];
		long h = 1125899906842597L;
		double norm = 0;
		for (int i = 0; i < dimensions; i++) {
			for (char c : text.toCharArray()) {
				h = 31 * h + c + i;
			}
			v[i] = (float) ((h >>> 11) % 1000 / 1000.0 - 0.5);
			norm += v[i] * v[i];
		}
		for (int i = 0; i < dimensions; i++) {
			v[i] /= (float) Math.sqrt(norm);
		}
		return v;
	}
}
