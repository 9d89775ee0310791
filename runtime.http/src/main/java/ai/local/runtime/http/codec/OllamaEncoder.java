package ai.local.runtime.http.codec;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.Usage;

/**
 * Ollama's answers to {@code /api/chat} ({@code message}) and {@code /api/generate} ({@code response}): the
 * lines of a stream and the last one with {@code done: true}, the counts and the durations in nanoseconds.
 * Tool calls go whole, their arguments as an object, without ids.
 */
public final class OllamaEncoder {

	/** Where the time of one answer went, in nanoseconds: all of it, and up to its first piece (the prompt's). */
	public record Timing(long totalNanos, long promptNanos) {
	}

	private OllamaEncoder() {
	}

	/** A line with a piece of the answer: text, thinking, or whole tool calls. */
	public static ObjectNode piece(String model, boolean generate, String text, String thinking, List<ToolCall> calls) {
		ObjectNode o = head(model);
		if (generate) {
			o.put("response", text);
			if (thinking != null) {
				o.put("thinking", thinking);
			}
		} else {
			ObjectNode m = o.putObject("message");
			m.put("role", "assistant");
			m.put("content", text);
			if (thinking != null) {
				m.put("thinking", thinking);
			}
			if (!calls.isEmpty()) {
				ArrayNode arr = m.putArray("tool_calls");
				for (ToolCall c : calls) {
					ObjectNode fn = arr.addObject().putObject("function");
					fn.put("name", c.name());
					JsonNode args = Json.argumentsObject(c.arguments());
					fn.set("arguments", args == null ? Json.object() : args);
				}
			}
		}
		o.put("done", false);
		return o;
	}

	/** Turns a piece into the last line: done, why, the counts and the times. */
	public static ObjectNode done(ObjectNode piece, FinishReason finish, Usage usage, Timing timing) {
		piece.put("done", true);
		piece.put("done_reason", finish == FinishReason.LENGTH ? "length" : "stop");
		return stats(piece, usage, timing);
	}

	/** The answer to a request that only loaded or unloaded the model ({@code done_reason} load / unload). */
	public static ObjectNode loaded(String model, boolean generate, boolean unload) {
		ObjectNode o = piece(model, generate, "", null, List.of());
		o.put("done", true);
		o.put("done_reason", unload ? "unload" : "load");
		return o;
	}

	/** {@code /api/embed}'s answer. */
	public static ObjectNode embeddings(String model, List<float[]> vectors, int promptTokens, long totalNanos) {
		ObjectNode o = Json.object();
		o.put("model", model);
		ArrayNode arr = o.putArray("embeddings");
		for (float[] v : vectors) {
			ArrayNode row = arr.addArray();
			for (float f : v) {
				row.add(f);
			}
		}
		o.put("total_duration", totalNanos);
		o.put("load_duration", 0);
		o.put("prompt_eval_count", promptTokens);
		return o;
	}

	private static ObjectNode head(String model) {
		ObjectNode o = Json.object();
		o.put("model", model);
		o.put("created_at", Instant.now().toString());
		return o;
	}

	/**
	 * The model's own times when the provider measured them, else as the client saw them (the first piece's
	 * arrival ends the prompt). Clients divide the counts by the durations (tokens a second): neither is ever 0.
	 */
	private static ObjectNode stats(ObjectNode o, Usage usage, Timing timing) {
		long prompt = Math.max(1, usage.timed() ? usage.promptNanos() : timing.promptNanos());
		long eval = Math.max(1, usage.timed() ? usage.generationNanos() : timing.totalNanos() - prompt);
		o.put("total_duration", Math.max(2, Math.max(timing.totalNanos(), prompt + eval)));
		o.put("load_duration", 0);
		o.put("prompt_eval_count", usage.promptTokens());
		o.put("prompt_eval_duration", prompt);
		o.put("eval_count", usage.completionTokens());
		o.put("eval_duration", eval);
		return o;
	}
}
