package ai.local.runtime.provider.ollama;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;
import ai.local.runtime.provider.openai.client.OpenAiWire;
import ai.local.runtime.provider.openai.client.Upstream;
import ai.local.runtime.provider.openai.client.UpstreamErrors;

/**
 * Reads Ollama's /api/chat answers: NDJSON lines as they stream ({@link #line}), or one whole object
 * ({@link #whole}). A thinking model's {@code message.thinking} is passed on as reasoning. Ollama sends each tool
 * call whole, with object arguments and no id: each gets the next index and a fresh id, and is sent as a start
 * delta (id, name) plus one arguments delta (the JSON text).
 */
final class OllamaReply {
	private static final SecureRandom IDS = new SecureRandom();

	private final Upstream upstream;
	private final StringBuilder text = new StringBuilder();
	private final StringBuilder thinking = new StringBuilder();
	private final List<ToolCall> calls = new ArrayList<>();
	private FinishReason finish;
	private Usage usage = Usage.NONE;

	OllamaReply(Upstream upstream) {
		this.upstream = upstream;
	}

	/** One NDJSON line; returns true at the {@code done} line. */
	boolean line(String line, ChatSink sink) {
		if (line.isBlank()) {
			return false;
		}
		return accept(parse(line), sink);
	}

	/** One answer object, a streamed line's or the whole answer; returns true when it is the {@code done} one. */
	private boolean accept(JsonNode n, ChatSink sink) {
		if (n.hasNonNull("error")) {
			// Ollama reports failures during a stream as an error line
			throw ApiException.upstream("Upstream " + upstream.label() + ": " + n.get("error").asText(), null);
		}
		JsonNode message = n.path("message");
		String thought = message.path("thinking").asText("");
		if (!thought.isEmpty()) {
			thinking.append(thought);
			if (sink != null) {
				sink.reasoning(thought);
			}
		}
		String content = message.path("content").asText("");
		if (!content.isEmpty()) {
			text.append(content);
			if (sink != null) {
				sink.text(content);
			}
		}
		for (JsonNode call : message.path("tool_calls")) {
			JsonNode fn = call.path("function");
			int index = calls.size();
			ToolCall c = new ToolCall(newId(), fn.path("name").asText(""), arguments(fn.get("arguments")));
			calls.add(c);
			if (sink != null) {
				sink.toolCall(ToolCallDelta.start(index, c.id(), c.name()));
				sink.toolCall(ToolCallDelta.arguments(index, c.arguments()));
			}
		}
		if (n.path("done").asBoolean(false)) {
			String reason = n.path("done_reason").asText("stop");
			finish = reason.equals("length") ? FinishReason.LENGTH
					: calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
			usage = new Usage(n.path("prompt_eval_count").asInt(0), n.path("eval_count").asInt(0), 0,
					n.path("prompt_eval_duration").asLong(0), n.path("eval_duration").asLong(0));
			return true;
		}
		return false;
	}

	/** Ends a stream; one that stopped before its {@code done} line is an upstream failure. */
	void finish(ChatSink sink) {
		if (finish == null) {
			throw UpstreamErrors.garbled(upstream, "a stream that ended before its done line", "");
		}
		sink.finish(finish, usage);
	}

	ChatResult whole(JsonNode body) {
		if (!accept(body, null)) {
			throw UpstreamErrors.garbled(upstream, "an answer without done", body.toString());
		}
		return new ChatResult(ChatMessage.assistant(text.toString(), calls), finish, usage, Map.of(),
				thinking.toString());
	}

	private JsonNode parse(String line) {
		JsonNode n;
		try {
			n = OpenAiWire.MAPPER.readTree(line);
		} catch (IOException e) {
			throw UpstreamErrors.garbled(upstream, "a line that is not JSON", line);
		}
		if (n == null || !n.isObject()) {
			throw UpstreamErrors.garbled(upstream, "a line that is not a JSON object", line);
		}
		return n;
	}

	private static String arguments(JsonNode args) {
		if (args == null || args.isNull()) {
			return "{}";
		}
		return args.isTextual() ? args.asText() : args.toString();
	}

	private static String newId() {
		return "call_" + Long.toString(IDS.nextLong() & Long.MAX_VALUE, 36);
	}
}
