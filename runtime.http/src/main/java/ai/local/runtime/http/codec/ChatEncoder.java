package ai.local.runtime.http.codec;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/**
 * OpenAI chat completion objects and streaming chunks for one response. Every chunk carries the same id,
 * created and model; with {@code include_usage} every chunk but the last has {@code "usage": null}.
 */
public final class ChatEncoder {
	private final String id;
	private final long created;
	private final String model;
	private final boolean includeUsage;

	public ChatEncoder(String model, boolean includeUsage) {
		this.id = Ids.next("chatcmpl-");
		this.created = System.currentTimeMillis() / 1000;
		this.model = model;
		this.includeUsage = includeUsage;
	}

	public String id() {
		return id;
	}

	public ObjectNode completion(ChatResult result) {
		ObjectNode o = header("chat.completion");
		ObjectNode choice = o.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = message(result.message());
		if (result.reasoning() != null) {
			message.put("reasoning_content", result.reasoning());
		}
		choice.set("message", message);
		if (result.logprobs().isEmpty()) {
			choice.putNull("logprobs");
		} else {
			choice.set("logprobs", LogprobsCodec.chat(result.logprobs()));
		}
		choice.put("finish_reason", result.finishReason().wireName());
		o.set("usage", usage(result.usage()));
		return TimingsCodec.put(o, result.usage());
	}

	public static ObjectNode message(ChatMessage m) {
		ObjectNode msg = Json.object();
		msg.put("role", ChatMessage.ASSISTANT);
		if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
			msg.putNull("content");
		} else {
			msg.put("content", m.text());
		}
		msg.putNull("refusal");
		if (!m.toolCalls().isEmpty()) {
			ArrayNode calls = msg.putArray("tool_calls");
			for (ToolCall c : m.toolCalls()) {
				ObjectNode call = calls.addObject();
				call.put("id", c.id());
				call.put("type", "function");
				ObjectNode fn = call.putObject("function");
				fn.put("name", c.name());
				fn.put("arguments", c.arguments());
			}
		}
		return msg;
	}

	public static ObjectNode usage(Usage u) {
		ObjectNode o = Json.object();
		o.put("prompt_tokens", u.promptTokens());
		o.put("completion_tokens", u.completionTokens());
		o.put("total_tokens", u.totalTokens());
		o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
		return o;
	}

	/** The first chunk: the assistant role and empty content. */
	public ObjectNode roleChunk() {
		ObjectNode c = chunk();
		ObjectNode delta = delta(c);
		delta.put("role", ChatMessage.ASSISTANT);
		delta.put("content", "");
		return c;
	}

	public ObjectNode textChunk(String text) {
		ObjectNode c = chunk();
		delta(c).put("content", text);
		return c;
	}

	/** Reasoning as vLLM, llama-server and DeepSeek stream it: {@code delta.reasoning_content}. */
	public ObjectNode reasoningChunk(String reasoning) {
		ObjectNode c = chunk();
		delta(c).put("reasoning_content", reasoning);
		return c;
	}

	/** The first piece of a call carries index, id, type, name and "" arguments; later pieces index + fragment. */
	public ObjectNode toolCallChunk(ToolCallDelta d) {
		ObjectNode c = chunk();
		ObjectNode call = delta(c).putArray("tool_calls").addObject();
		call.put("index", d.index());
		if (d.isStart()) {
			call.put("id", d.id());
			call.put("type", "function");
		}
		ObjectNode fn = call.putObject("function");
		if (d.isStart()) {
			fn.put("name", d.name());
		}
		fn.put("arguments", d.arguments() == null ? "" : d.arguments());
		return c;
	}

	/** Log-probabilities of tokens already streamed, in a chunk of their own (an empty delta). */
	public ObjectNode logprobsChunk(List<TokenLogprob> tokens) {
		ObjectNode c = chunk();
		((ObjectNode) c.get("choices").get(0)).set("logprobs", LogprobsCodec.chat(tokens));
		return c;
	}

	/** The finish chunk; llama-server's timings go on the last chunk, this one without include_usage. */
	public ObjectNode finishChunk(FinishReason reason, Usage usage) {
		return includeUsage ? finishChunk(reason) : TimingsCodec.put(finishChunk(reason), usage);
	}

	public ObjectNode finishChunk(FinishReason reason) {
		ObjectNode c = chunk();
		delta(c);
		((ObjectNode) c.get("choices").get(0)).put("finish_reason", reason.wireName());
		return c;
	}

	/** The closing usage chunk: {@code choices: []}. Only sent with include_usage. */
	public ObjectNode usageChunk(Usage usage) {
		ObjectNode c = header("chat.completion.chunk");
		c.putArray("choices");
		c.set("usage", usage(usage));
		return TimingsCodec.put(c, usage);
	}

	public boolean includeUsage() {
		return includeUsage;
	}

	private ObjectNode chunk() {
		ObjectNode c = header("chat.completion.chunk");
		ObjectNode choice = c.putArray("choices").addObject();
		choice.put("index", 0);
		choice.putObject("delta");
		choice.putNull("logprobs");
		choice.putNull("finish_reason");
		if (includeUsage) {
			c.putNull("usage");
		}
		return c;
	}

	private static ObjectNode delta(ObjectNode chunk) {
		return (ObjectNode) chunk.get("choices").get(0).get("delta");
	}

	private ObjectNode header(String object) {
		ObjectNode o = Json.object();
		o.put("id", id);
		o.put("object", object);
		o.put("created", created);
		o.put("model", model);
		o.putNull("system_fingerprint");
		return o;
	}
}
