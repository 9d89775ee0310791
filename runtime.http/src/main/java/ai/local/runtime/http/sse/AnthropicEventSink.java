package ai.local.runtime.http.sse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;
import ai.local.runtime.http.codec.AnthropicCodec;
import ai.local.runtime.http.codec.ErrorEncoder;
import ai.local.runtime.http.codec.Json;

/**
 * Anthropic Messages events: message_start → per block: content_block_start, content_block_delta
 * (thinking_delta + signature_delta / text_delta / input_json_delta)*, content_block_stop → message_delta
 * (stop_reason, usage) → message_stop.
 */
public final class AnthropicEventSink extends StreamingSink {
	private final String id;
	private final String model;
	private boolean begun;
	/** The prompt's size when the provider said it before the first event; message_start carries it. */
	private Usage prompt = Usage.NONE;
	private enum Kind {
		NONE, THINKING, TEXT, TOOL_USE
	}

	private int block = -1;
	private Kind open = Kind.NONE;

	public AnthropicEventSink(SseStream out, String id, String model) {
		super(out);
		this.id = id;
		this.model = model;
	}

	private void begin() {
		if (!begun) {
			begun = true;
			ObjectNode e = event("message_start");
			e.set("message", AnthropicCodec.start(id, model, prompt));
			out.event("message_start", e);
		}
	}

	@Override
	protected void onPrompt(int promptTokens, int cachedTokens) {
		prompt = new Usage(promptTokens, 0, cachedTokens, 0, 0);
	}

	@Override
	protected void onReasoning(String fragment) {
		begin();
		if (open != Kind.THINKING) {
			closeBlock();
			openBlock(Json.object().put("type", "thinking").put("thinking", ""), Kind.THINKING);
		}
		ObjectNode e = event("content_block_delta");
		e.put("index", block);
		e.putObject("delta").put("type", "thinking_delta").put("thinking", fragment);
		out.event("content_block_delta", e);
	}

	@Override
	protected void onText(String fragment) {
		begin();
		if (open != Kind.TEXT) {
			closeBlock();
			openBlock(Json.object().put("type", "text").put("text", ""), Kind.TEXT);
		}
		ObjectNode e = event("content_block_delta");
		e.put("index", block);
		e.putObject("delta").put("type", "text_delta").put("text", fragment);
		out.event("content_block_delta", e);
	}

	@Override
	protected void onToolCall(ToolCallDelta delta) {
		begin();
		if (delta.isStart()) {
			closeBlock();
			ToolCall call = call(delta.index());
			ObjectNode use = Json.object().put("type", "tool_use").put("id", call.id()).put("name", call.name());
			use.putObject("input");
			openBlock(use, Kind.TOOL_USE);
		}
		if (delta.arguments() != null && !delta.arguments().isEmpty()) {
			ObjectNode e = event("content_block_delta");
			e.put("index", block);
			e.putObject("delta").put("type", "input_json_delta").put("partial_json", delta.arguments());
			out.event("content_block_delta", e);
		}
	}

	@Override
	protected void onFinish(FinishReason reason, Usage usage) {
		begin();
		closeBlock();
		ObjectNode e = event("message_delta");
		e.putObject("delta").put("stop_reason", AnthropicCodec.stopReason(reason)).putNull("stop_sequence");
		e.set("usage", AnthropicCodec.usage(usage));
		out.event("message_delta", e);
		out.event("message_stop", event("message_stop"));
	}

	@Override
	protected void onError(ApiException ex) {
		out.event("error", ErrorEncoder.anthropic(ex));
	}

	private void openBlock(ObjectNode contentBlock, Kind kind) {
		block++;
		open = kind;
		ObjectNode e = event("content_block_start");
		e.put("index", block);
		e.set("content_block", contentBlock);
		out.event("content_block_start", e);
	}

	private void closeBlock() {
		if (open != Kind.NONE) {
			if (open == Kind.THINKING) {
				ObjectNode s = event("content_block_delta");
				s.put("index", block);
				s.putObject("delta").put("type", "signature_delta").put("signature", AnthropicCodec.SIGNATURE);
				out.event("content_block_delta", s);
			}
			open = Kind.NONE;
			ObjectNode e = event("content_block_stop");
			e.put("index", block);
			out.event("content_block_stop", e);
		}
	}

	private static ObjectNode event(String type) {
		return Json.object().put("type", type);
	}
}
