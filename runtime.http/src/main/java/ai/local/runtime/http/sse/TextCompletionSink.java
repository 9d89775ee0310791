package ai.local.runtime.http.sse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;
import ai.local.runtime.http.codec.ChatEncoder;
import ai.local.runtime.http.codec.CompletionCodec;
import ai.local.runtime.http.codec.ErrorEncoder;
import ai.local.runtime.http.codec.LogprobsCodec;
import ai.local.runtime.http.codec.TimingsCodec;

/**
 * A streamed text completion, in OpenAI's {@code text_completion} chunks ending with {@code [DONE]}, or in
 * llama-server's {@code {"content", "stop"}} events (no end marker).
 */
public final class TextCompletionSink extends StreamingSink {
	private final boolean openAi;
	private final String id;
	private final long created;
	private final String model;
	private final boolean includeUsage;
	/** Where the next token starts in the choice's text (the echoed prompt included). */
	private int offset;
	/** An echo that waits for the prompt's log-probabilities, which come with it; null when sent or none. */
	private String heldEcho;
	/** llama-server's events: the log-probabilities of the tokens whose text comes next, and in which form. */
	private final List<TokenLogprob> pending = new ArrayList<>();
	private final boolean probabilities;

	/** @param probabilities llama-server's {@code post_sampling_probs} (see {@link CompletionCodec#llama}) */
	public TextCompletionSink(SseStream out, boolean openAi, String id, String model, boolean includeUsage,
			boolean probabilities) {
		super(out);
		this.probabilities = probabilities;
		this.openAi = openAi;
		this.id = id;
		this.created = System.currentTimeMillis() / 1000;
		this.model = model;
		this.includeUsage = includeUsage;
	}

	/**
	 * OpenAI's {@code echo}: the prompt goes out first, as text of the completion; with {@code scored} it waits for
	 * the prompt's log-probabilities and goes out with them.
	 */
	public void echo(String prompt, boolean scored) {
		if (scored) {
			heldEcho = prompt;
		} else if (!prompt.isEmpty()) {
			out.data(CompletionCodec.openAiChunk(id, created, model, prompt, null));
			offset = prompt.length();
		}
	}

	@Override
	protected void onPromptLogprobs(List<TokenLogprob> tokens) {
		if (heldEcho != null) {
			ObjectNode c = CompletionCodec.openAiChunk(id, created, model, heldEcho, null);
			((ObjectNode) c.get("choices").get(0)).set("logprobs", LogprobsCodec.completion(tokens, 0));
			out.data(c);
			offset = heldEcho.length();
			heldEcho = null;
		}
	}

	/** An echo still held when the completion goes on without prompt log-probabilities (e.g. an upstream's). */
	private void releaseEcho() {
		if (heldEcho != null) {
			String prompt = heldEcho;
			heldEcho = null;
			echo(prompt, false);
		}
	}

	@Override
	protected void onText(String fragment) {
		releaseEcho();
		out.data(openAi ? CompletionCodec.openAiChunk(id, created, model, fragment, null) : llamaEvent(fragment, null, null));
	}

	@Override
	protected void onLogprobs(List<TokenLogprob> tokens) {
		if (!openAi) { // llama-server gives them with the tokens' text
			pending.addAll(tokens);
			return;
		}
		releaseEcho();
		ObjectNode c = CompletionCodec.openAiChunk(id, created, model, "", null);
		((ObjectNode) c.get("choices").get(0)).set("logprobs", LogprobsCodec.completion(tokens, offset));
		tokens.forEach(t -> offset += t.token().length());
		out.data(c);
	}

	@Override
	protected void onToolCall(ToolCallDelta delta) {
		// a text completion has no tools
	}

	@Override
	protected void onFinish(FinishReason reason, Usage usage) {
		if (!openAi) {
			out.data(llamaEvent("", reason, usage));
			return;
		}
		releaseEcho();
		var last = CompletionCodec.openAiChunk(id, created, model, "", reason);
		out.data(includeUsage ? last : TimingsCodec.put(last, usage));
		if (includeUsage) {
			var u = CompletionCodec.openAiChunk(id, created, model, "", null);
			u.putArray("choices");
			u.set("usage", ChatEncoder.usage(usage));
			out.data(TimingsCodec.put(u, usage));
		}
		out.done();
	}

	private ObjectNode llamaEvent(String content, FinishReason reason, Usage usage) {
		ObjectNode e = CompletionCodec.llama(model, content, reason, usage, List.copyOf(pending), probabilities);
		pending.clear();
		return e;
	}

	@Override
	protected void onError(ApiException e) {
		out.data(ErrorEncoder.openAi(e));
		if (openAi) {
			out.done();
		}
	}
}
