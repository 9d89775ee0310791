package ai.local.runtime.http.sse;

import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;
import ai.local.runtime.http.codec.Json;
import ai.local.runtime.http.codec.ResponsesCodec;

/**
 * Responses API events: response.created → response.in_progress → per output item: output_item.added, then
 * reasoning_text.delta* + .done (reasoning), content_part.added + output_text.delta* + output_text.done +
 * content_part.done (a message), function_call_arguments.delta* + .done (a call) or, for a custom tool's call,
 * custom_tool_call_input.delta + .done once its input is whole, then output_item.done → response.completed. Every event
 * has {@code type} and a rising {@code sequence_number}.
 */
public final class ResponsesEventSink extends StreamingSink {
	/** Builds the response object for a status, the output so far, the finish reason and usage. */
	public interface ResponseBuilder {
		ObjectNode build(String status, ArrayNode output, FinishReason finish, Usage usage);
	}

	private final ResponseBuilder response;
	private final String messageId;
	private final String reasoningId;
	private final Set<String> customTools;
	private final ArrayNode output = Json.MAPPER.createArrayNode();
	private int sequence;
	private boolean begun;
	private boolean messageOpen;
	private boolean reasoningOpen;
	private int openCall = -1;

	public ResponsesEventSink(SseStream out, ResponseBuilder response, String messageId, String reasoningId,
			Set<String> customTools) {
		super(out);
		this.response = response;
		this.messageId = messageId;
		this.reasoningId = reasoningId;
		this.customTools = customTools;
	}

	private void begin() {
		if (!begun) {
			begun = true;
			emit("response.created", e -> e.set("response", response.build("in_progress", null, null, null)));
			emit("response.in_progress", e -> e.set("response", response.build("in_progress", null, null, null)));
		}
	}

	@Override
	protected void onReasoning(String fragment) {
		begin();
		closeMessage();
		closeCall();
		if (!reasoningOpen) {
			reasoningOpen = true;
			emit("response.output_item.added", e -> {
				e.put("output_index", output.size());
				e.set("item", ResponsesCodec.reasoningItem(reasoningId, null, "in_progress"));
			});
		}
		emit("response.reasoning_text.delta", e -> reasoningEvent(e).put("delta", fragment));
	}

	@Override
	protected void onText(String fragment) {
		begin();
		closeReasoning();
		closeCall();
		if (!messageOpen) {
			messageOpen = true;
			emit("response.output_item.added", e -> {
				e.put("output_index", output.size());
				e.set("item", ResponsesCodec.messageItem(messageId, null, "in_progress"));
			});
			emit("response.content_part.added", e -> partEvent(e).set("part", ResponsesCodec.outputText("")));
		}
		emit("response.output_text.delta", e -> {
			partEvent(e).put("delta", fragment);
			e.putArray("logprobs");
		});
	}

	@Override
	protected void onToolCall(ToolCallDelta delta) {
		begin();
		closeReasoning();
		closeMessage();
		if (delta.isStart()) {
			closeCall();
			openCall = delta.index();
			ToolCall call = call(openCall);
			emit("response.output_item.added", e -> {
				e.put("output_index", output.size());
				e.set("item", customTools.contains(call.name()) ? ResponsesCodec.customToolCallItem(call, "", "in_progress")
						: ResponsesCodec.functionCallItem(call, "", "in_progress"));
			});
		}
		if (customTools.contains(call(delta.index()).name())) {
			return; // its input is a string inside the arguments: sent whole when the call is
		}
		if (delta.arguments() != null && !delta.arguments().isEmpty()) {
			emit("response.function_call_arguments.delta", e -> {
				e.put("item_id", "fc_" + call(delta.index()).id());
				e.put("output_index", output.size());
				e.put("delta", delta.arguments());
			});
		}
	}

	@Override
	protected void onFinish(FinishReason reason, Usage usage) {
		begin();
		closeReasoning();
		closeMessage();
		closeCall();
		String status = ResponsesCodec.status(reason);
		emit("response." + status, e -> e.set("response", response.build(status, output, reason, usage)));
	}

	@Override
	protected void onError(ApiException ex) {
		emit("error", e -> {
			e.put("code", ex.code() == null ? ex.type().wireName() : ex.code());
			e.put("message", ex.getMessage());
			e.put("param", ex.param());
		});
	}

	private void closeReasoning() {
		if (!reasoningOpen) {
			return;
		}
		reasoningOpen = false;
		String text = result().reasoning();
		emit("response.reasoning_text.done", e -> reasoningEvent(e).put("text", text == null ? "" : text));
		ObjectNode item = ResponsesCodec.reasoningItem(reasoningId, text == null ? "" : text, "completed");
		emit("response.output_item.done", e -> {
			e.put("output_index", output.size());
			e.set("item", item);
		});
		output.add(item);
	}

	private ObjectNode reasoningEvent(ObjectNode e) {
		e.put("item_id", reasoningId);
		e.put("output_index", output.size());
		e.put("content_index", 0);
		return e;
	}

	private void closeMessage() {
		if (!messageOpen) {
			return;
		}
		messageOpen = false;
		String text = textSoFar();
		emit("response.output_text.done", e -> {
			partEvent(e).put("text", text);
			e.putArray("logprobs");
		});
		emit("response.content_part.done", e -> partEvent(e).set("part", ResponsesCodec.outputText(text)));
		ObjectNode item = ResponsesCodec.messageItem(messageId, text, "completed");
		emit("response.output_item.done", e -> {
			e.put("output_index", output.size());
			e.set("item", item);
		});
		output.add(item);
	}

	private void closeCall() {
		if (openCall < 0) {
			return;
		}
		ToolCall call = call(openCall);
		String args = argumentsSoFar(openCall);
		openCall = -1;
		if (customTools.contains(call.name())) {
			closeCustomCall(call, ResponsesCodec.customInput(args));
			return;
		}
		emit("response.function_call_arguments.done", e -> {
			e.put("item_id", "fc_" + call.id());
			e.put("output_index", output.size());
			e.put("name", call.name());
			e.put("arguments", args);
		});
		ObjectNode item = ResponsesCodec.functionCallItem(call, args, "completed");
		emit("response.output_item.done", e -> {
			e.put("output_index", output.size());
			e.set("item", item);
		});
		output.add(item);
	}

	private void closeCustomCall(ToolCall call, String input) {
		String itemId = "ctc_" + call.id();
		emit("response.custom_tool_call_input.delta", e -> {
			e.put("item_id", itemId);
			e.put("output_index", output.size());
			e.put("delta", input);
		});
		emit("response.custom_tool_call_input.done", e -> {
			e.put("item_id", itemId);
			e.put("output_index", output.size());
			e.put("input", input);
		});
		ObjectNode item = ResponsesCodec.customToolCallItem(call, input, "completed");
		emit("response.output_item.done", e -> {
			e.put("output_index", output.size());
			e.set("item", item);
		});
		output.add(item);
	}

	private ObjectNode partEvent(ObjectNode e) {
		e.put("item_id", messageId);
		e.put("output_index", output.size());
		e.put("content_index", 0);
		return e;
	}

	private void emit(String type, Consumer<ObjectNode> fill) {
		ObjectNode e = Json.object();
		e.put("type", type);
		e.put("sequence_number", sequence);
		fill.accept(e);
		sequence++;
		out.event(type, e);
	}
}
