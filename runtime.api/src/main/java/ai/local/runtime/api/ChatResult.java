package ai.local.runtime.api;

import java.util.List;
import java.util.Map;

/**
 * A whole completion: the assistant message, why it ended, and the token counts. {@code notes} are facts about
 * how it was produced that the client should see (sent as {@code x-runtime-<name>} response headers), e.g.
 * {@code context-trimmed} when old turns had to be dropped to fit the context. {@code reasoning} is what a
 * reasoning model thought before answering, as its server reported it apart from the answer (null for none);
 * it is shown to the client, never kept in a session's history. {@code logprobs}: the generated tokens'
 * log-probabilities when the request asked for them (since 1.10), else empty; {@code promptLogprobs}: the prompt
 * tokens' (see {@link ChatSink#promptLogprobs}, since 1.11), else empty.
 */
public record ChatResult(ChatMessage message, FinishReason finishReason, Usage usage, Map<String, String> notes,
		String reasoning, List<TokenLogprob> logprobs, List<TokenLogprob> promptLogprobs) {

	public ChatResult {
		notes = notes == null ? Map.of() : Map.copyOf(notes);
		reasoning = reasoning == null || reasoning.isEmpty() ? null : reasoning;
		logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
		promptLogprobs = promptLogprobs == null ? List.of() : List.copyOf(promptLogprobs);
	}

	public ChatResult(ChatMessage message, FinishReason finishReason, Usage usage, Map<String, String> notes,
			String reasoning, List<TokenLogprob> logprobs) {
		this(message, finishReason, usage, notes, reasoning, logprobs, List.of());
	}

	public ChatResult(ChatMessage message, FinishReason finishReason, Usage usage, Map<String, String> notes,
			String reasoning) {
		this(message, finishReason, usage, notes, reasoning, List.of());
	}

	public ChatResult(ChatMessage message, FinishReason finishReason, Usage usage, Map<String, String> notes) {
		this(message, finishReason, usage, notes, null);
	}

	public ChatResult(ChatMessage message, FinishReason finishReason, Usage usage) {
		this(message, finishReason, usage, Map.of(), null);
	}
}
