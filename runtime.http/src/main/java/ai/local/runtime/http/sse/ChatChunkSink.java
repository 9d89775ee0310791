package ai.local.runtime.http.sse;

import java.util.List;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;
import ai.local.runtime.http.codec.ChatEncoder;
import ai.local.runtime.http.codec.ErrorEncoder;

/** OpenAI chat completion chunks: role chunk, deltas, finish chunk, optional usage chunk, {@code [DONE]}. */
public final class ChatChunkSink extends StreamingSink {
	private final ChatEncoder encoder;
	private boolean roleSent;

	public ChatChunkSink(SseStream out, ChatEncoder encoder) {
		super(out);
		this.encoder = encoder;
	}

	private void role() {
		if (!roleSent) {
			roleSent = true;
			out.data(encoder.roleChunk());
		}
	}

	@Override
	protected void onText(String fragment) {
		role();
		out.data(encoder.textChunk(fragment));
	}

	@Override
	protected void onReasoning(String fragment) {
		role();
		out.data(encoder.reasoningChunk(fragment));
	}

	@Override
	protected void onLogprobs(List<TokenLogprob> tokens) {
		role();
		out.data(encoder.logprobsChunk(tokens));
	}

	@Override
	protected void onToolCall(ToolCallDelta delta) {
		role();
		out.data(encoder.toolCallChunk(delta));
	}

	@Override
	protected void onFinish(FinishReason reason, Usage usage) {
		role();
		out.data(encoder.finishChunk(reason, usage));
		if (encoder.includeUsage()) {
			out.data(encoder.usageChunk(usage));
		}
		out.done();
	}

	@Override
	protected void onError(ApiException e) {
		out.data(ErrorEncoder.openAi(e));
		out.done();
	}
}
