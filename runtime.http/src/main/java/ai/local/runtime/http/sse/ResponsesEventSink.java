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
			added(ResponsesCodec.reasoningItem(reasoningId, null, "in_progress"));
		}
		emit("response.reasoning_text.delta", e -> part(e, reasoningId).put("delta", fragment));
	}

	@Override
	protected void onText(String fragment) {
		begin();
		closeReasoning();
		closeCall();
		if (!messageOpen) {
			messageOpen = true;
			added(ResponsesCodec.messageItem(messageId, null, "in_progress"));
			emit("response.content_part.added", e -> part(e, messageId).set("part", ResponsesCodec.outputText("")));
		}
		emit("response.output_text.delta", e -> {
			part(e, messageId).put("delta", fragment);
			e.putArray("logprobs");
		});
	}

	@Override
	protected void onToolCall(ToolCallDelta delta) {
		begin();
		closeReasoning();
		closeMessage();
		ToolCall call = call(delta.index());
		boolean custom = customTools.contains(call.name());
		if (delta.isStart()) {
			closeCall();
			openCall = delta.index();
			added(ResponsesCodec.callItem(call, "", custom, "in_progress"));
		}
		// a custom tool's input is a string inside the arguments: it goes whole, with the call
		if (!custom && delta.arguments() != null && !delta.arguments().isEmpty()) {
			emit("response.function_call_arguments.delta", e -> item(e, "fc_" + call.id()).put("delta", delta.arguments()));
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
		String reasoning = result().reasoning();
		String text = reasoning == null ? "" : reasoning;
		emit("response.reasoning_text.done", e -> part(e, reasoningId).put("text", text));
		done(ResponsesCodec.reasoningItem(reasoningId, text, "completed"));
	}

	private void closeMessage() {
		if (!messageOpen) {
			return;
		}
		messageOpen = false;
		String text = textSoFar();
		emit("response.output_text.done", e -> {
			part(e, messageId).put("text", text);
			e.putArray("logprobs");
		});
		emit("response.content_part.done", e -> part(e, messageId).set("part", ResponsesCodec.outputText(text)));
		done(ResponsesCodec.messageItem(messageId, text, "completed"));
	}

	private void closeCall() {
		if (openCall < 0) {
			return;
		}
		ToolCall call = call(openCall);
		ObjectNode item = ResponsesCodec.callItem(call, argumentsSoFar(openCall), customTools.contains(call.name()),
				"completed");
		openCall = -1;
		String itemId = item.get("id").asText();
		if (item.has("input")) {
			String input = item.get("input").asText();
			emit("response.custom_tool_call_input.delta", e -> item(e, itemId).put("delta", input));
			emit("response.custom_tool_call_input.done", e -> item(e, itemId).put("input", input));
		} else {
			emit("response.function_call_arguments.done", e -> item(e, itemId).put("name", call.name())
					.put("arguments", item.get("arguments").asText()));
		}
		done(item);
	}

	private void added(ObjectNode item) {
		emit("response.output_item.added", e -> {
			e.put("output_index", output.size());
			e.set("item", item);
		});
	}

	/** The item's output_item.done; it joins the output. */
	private void done(ObjectNode item) {
		emit("response.output_item.done", e -> {
			e.put("output_index", output.size());
			e.set("item", item);
		});
		output.add(item);
	}

	/** An event about the item being written: its id and place in the output. */
	private ObjectNode item(ObjectNode e, String itemId) {
		e.put("item_id", itemId);
		e.put("output_index", output.size());
		return e;
	}

	/** An event about the item's (only) content part. */
	private ObjectNode part(ObjectNode e, String itemId) {
		return item(e, itemId).put("content_index", 0);
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
