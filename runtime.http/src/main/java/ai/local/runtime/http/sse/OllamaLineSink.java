package ai.local.runtime.http.sse;

import java.util.List;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;
import ai.local.runtime.http.codec.Json;
import ai.local.runtime.http.codec.OllamaEncoder;

/**
 * Ollama's NDJSON stream: a line per piece of text or thinking, the tool calls whole in one line once the model
 * has written them, then the {@code done} line with the counts; a failure after the start is an
 * {@code {"error": ...}} line, as Ollama sends it.
 */
public final class OllamaLineSink extends StreamingSink {
	private final String model;
	private final boolean generate;
	private final long start = System.nanoTime();
	private long firstPiece;
	private int callsStarted;
	private int callsSent;

	public OllamaLineSink(SseStream out, String model, boolean generate) {
		super(out);
		this.model = model;
		this.generate = generate;
	}

	@Override
	protected void onText(String fragment) {
		first();
		sendCalls();
		out.line(OllamaEncoder.piece(model, generate, fragment, null, List.of()));
	}

	@Override
	protected void onReasoning(String fragment) {
		first();
		out.line(OllamaEncoder.piece(model, generate, "", fragment, List.of()));
	}

	@Override
	protected void onToolCall(ToolCallDelta delta) {
		first(); // sent whole: at the next text or the end
		if (delta.isStart()) {
			callsStarted++;
		}
	}

	@Override
	protected void onFinish(FinishReason reason, Usage usage) {
		sendCalls();
		long now = System.nanoTime();
		out.line(OllamaEncoder.done(OllamaEncoder.piece(model, generate, "", null, List.of()), reason, usage,
				new OllamaEncoder.Timing(now - start, (firstPiece == 0 ? now : firstPiece) - start)));
	}

	@Override
	protected void onError(ApiException e) {
		out.line(Json.object().put("error", e.getMessage()));
	}

	private void first() {
		if (firstPiece == 0) {
			firstPiece = System.nanoTime();
		}
	}

	private void sendCalls() {
		if (callsStarted > callsSent) {
			var calls = result().message().toolCalls();
			out.line(OllamaEncoder.piece(model, generate, "", null, calls.subList(callsSent, calls.size())));
			callsSent = calls.size();
		}
	}
}
