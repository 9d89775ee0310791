package ai.local.runtime.provider.openai.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.ToolCallDelta;

/**
 * Turns the chunks of one streamed /chat/completions (or /completions: {@code choices[0].text}) answer into
 * {@link ChatSink} calls as they arrive. Tool calls are re-indexed in the order they appear and their first delta always carries id and name, whatever
 * the upstream did (some repeat the id on every delta, some omit the index or the id).
 */
public final class ChunkReader {
	private final Upstream upstream;
	private final Map<Integer, Integer> callIndex = new HashMap<>();
	private String finishReason;
	private JsonNode usage;
	private JsonNode timings;
	private boolean done;

	public ChunkReader(Upstream upstream) {
		this.upstream = upstream;
	}

	/** Handles one SSE event; returns false after {@code [DONE]}. */
	public boolean accept(SseEvent event, ChatSink sink) {
		if (event.isDone()) {
			done = true;
			return false;
		}
		JsonNode chunk = OpenAiWire.chunk(event, upstream);
		if (chunk.hasNonNull("usage")) {
			usage = chunk.get("usage");
		}
		if (chunk.hasNonNull("timings")) {
			timings = chunk.get("timings");
		}
		JsonNode choice = chunk.path("choices").path(0);
		if (choice.isMissingNode()) {
			return true;
		}
		JsonNode reason = choice.get("finish_reason");
		if (reason != null && reason.isTextual()) {
			finishReason = reason.asText();
		}
		JsonNode text = choice.get("text");
		if (text != null) { // a /completions chunk
			if (text.isTextual() && !text.asText().isEmpty()) {
				sink.text(text.asText());
			}
			List<TokenLogprob> logprobs = UpstreamLogprobs.text(choice);
			if (!logprobs.isEmpty()) {
				sink.logprobs(logprobs);
			}
			return true;
		}
		List<TokenLogprob> logprobs = UpstreamLogprobs.chat(choice);
		JsonNode delta = choice.path("delta");
		String reasoning = OpenAiWire.reasoning(delta);
		if (reasoning != null) {
			sink.reasoning(reasoning);
		}
		JsonNode content = delta.get("content");
		if (content != null && content.isTextual() && !content.asText().isEmpty()) {
			sink.text(content.asText());
		}
		if (!logprobs.isEmpty()) {
			sink.logprobs(logprobs);
		}
		int position = 0;
		for (JsonNode call : delta.path("tool_calls")) {
			toolCall(call, position++, sink);
		}
		return true;
	}

	private void toolCall(JsonNode call, int position, ChatSink sink) {
		int upstreamIndex = call.path("index").asInt(position);
		JsonNode fn = call.path("function");
		Integer index = callIndex.get(upstreamIndex);
		if (index == null) {
			index = callIndex.size();
			callIndex.put(upstreamIndex, index);
			String id = call.path("id").asText("");
			sink.toolCall(ToolCallDelta.start(index, id.isEmpty() ? "call_" + Long.toHexString(System.nanoTime())
					+ index : id, fn.path("name").asText("")));
		}
		JsonNode args = fn.get("arguments");
		if (args != null && !args.isNull()) {
			String fragment = args.isTextual() ? args.asText() : args.toString();
			if (!fragment.isEmpty()) {
				sink.toolCall(ToolCallDelta.arguments(index, fragment));
			}
		}
	}

	/**
	 * Ends the stream at the end of the body: after {@code [DONE]} or a finish reason; a stream that just stops
	 * is an upstream failure.
	 */
	public void finish(ChatSink sink) {
		if (!done && finishReason == null) {
			throw UpstreamErrors.garbled(upstream, "a stream that ended before its finish_reason", "");
		}
		FinishReason reason = OpenAiWire.finishReason(finishReason, !callIndex.isEmpty());
		sink.finish(reason, UpstreamUsage.of(usage, timings));
	}
}
