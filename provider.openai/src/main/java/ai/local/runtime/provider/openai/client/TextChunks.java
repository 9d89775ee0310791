package ai.local.runtime.provider.openai.client;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Usage;

/** Turns the chunks of one streamed /completions answer ({@code choices[0].text}) into {@link ChatSink} calls. */
final class TextChunks {
	private final Upstream upstream;
	private String finishReason;
	private Usage usage = Usage.NONE;
	private boolean done;

	TextChunks(Upstream upstream) {
		this.upstream = upstream;
	}

	/** Handles one SSE event; returns false after {@code [DONE]}. */
	boolean accept(SseEvent event, ChatSink sink) {
		if (event.isDone()) {
			done = true;
			return false;
		}
		JsonNode chunk = OpenAiWire.chunk(event, upstream);
		if (chunk.hasNonNull("usage")) {
			usage = OpenAiWire.usage(chunk.get("usage"));
		}
		JsonNode choice = chunk.path("choices").path(0);
		JsonNode text = choice.get("text");
		if (text != null && text.isTextual() && !text.asText().isEmpty()) {
			sink.text(text.asText());
		}
		var logprobs = OpenAiWire.textLogprobs(choice);
		if (!logprobs.isEmpty()) {
			sink.logprobs(logprobs);
		}
		JsonNode reason = choice.get("finish_reason");
		if (reason != null && reason.isTextual()) {
			finishReason = reason.asText();
		}
		return true;
	}

	/** Ends the completion; a stream that just stops is an upstream failure. */
	void finish(ChatSink sink) {
		if (!done && finishReason == null) {
			throw UpstreamErrors.garbled(upstream, "a stream that ended before its finish_reason", "");
		}
		sink.finish("length".equals(finishReason) ? FinishReason.LENGTH : FinishReason.STOP, usage);
	}
}
