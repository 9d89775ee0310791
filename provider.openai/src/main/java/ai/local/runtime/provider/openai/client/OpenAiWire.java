package ai.local.runtime.provider.openai.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolDefinition;

/**
 * The OpenAI JSON codec of the upstream side: runtime records to request bodies, and response bodies back to
 * records (streamed chunks: {@link ChunkReader}). Sampling fields beyond OpenAI's own ({@code top_k},
 * {@code min_p}, {@code repetition_penalty}) are sent only when the client gave them; vLLM, LMDeploy and
 * llama-server take them.
 */
public final class OpenAiWire {
	public static final ObjectMapper MAPPER = new ObjectMapper()
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

	private static final String[] REASONING_FIELDS = { "reasoning_content", "reasoning" };

	private OpenAiWire() {
	}

	/** A /chat/completions body; {@code stream} adds {@code stream_options.include_usage}. */
	public static ObjectNode chatBody(ChatRequest r, boolean stream) {
		ObjectNode b = MAPPER.createObjectNode();
		b.put("model", r.model());
		ArrayNode messages = b.putArray("messages");
		r.messages().forEach(m -> messages.add(message(m)));
		if (!r.tools().isEmpty()) {
			ArrayNode tools = b.putArray("tools");
			r.tools().forEach(t -> tools.add(tool(t)));
		}
		if (r.toolChoice() != null) {
			b.set("tool_choice", toolChoice(r.toolChoice()));
		}
		if (r.parallelToolCalls() != null) {
			b.put("parallel_tool_calls", r.parallelToolCalls());
		}
		if (r.responseFormat() != null) {
			b.set("response_format", responseFormat(r.responseFormat()));
		}
		sampling(b, r.sampling(), "max_tokens", "repetition_penalty");
		if (r.user() != null) {
			b.put("user", r.user());
		}
		for (Map.Entry<String, Object> e : r.extra().entrySet()) {
			if (!e.getKey().equals("keep_alive")) { // the runtime's own instruction, not the upstream's
				b.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
			}
		}
		if (r.extra().containsKey(TokenLogprob.REQUEST)) {
			b.put("logprobs", true);
		}
		b.put("stream", stream);
		if (stream) {
			b.putObject("stream_options").put("include_usage", true);
		}
		return b;
	}

	public static ObjectNode message(ChatMessage m) {
		ObjectNode o = MAPPER.createObjectNode();
		o.put("role", m.role());
		boolean textOnly = m.content().stream().allMatch(p -> ContentPart.TEXT.equals(p.type()));
		if (m.content().isEmpty()) {
			o.set("content", ChatMessage.ASSISTANT.equals(m.role()) ? o.nullNode() : o.textNode(""));
		} else if (textOnly) {
			o.put("content", m.text());
		} else {
			ArrayNode parts = o.putArray("content");
			m.content().forEach(p -> parts.add(part(p)));
		}
		if (m.name() != null) {
			o.put("name", m.name());
		}
		if (!m.toolCalls().isEmpty()) {
			ArrayNode calls = o.putArray("tool_calls");
			for (ToolCall c : m.toolCalls()) {
				ObjectNode call = calls.addObject();
				call.put("id", c.id());
				call.put("type", "function");
				call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
			}
		}
		if (m.toolCallId() != null) {
			o.put("tool_call_id", m.toolCallId());
		}
		return o;
	}

	private static ObjectNode part(ContentPart p) {
		ObjectNode o = MAPPER.createObjectNode();
		o.put("type", p.type());
		switch (p.type()) {
		case ContentPart.TEXT -> o.put("text", p.text());
		case ContentPart.IMAGE_URL -> {
			ObjectNode url = o.putObject("image_url").put("url", p.url());
			if (p.detail() != null) {
				url.put("detail", p.detail());
			}
		}
		case ContentPart.INPUT_AUDIO -> o.putObject("input_audio").put("data", p.url()).put("format", p.detail());
		default -> o.put("text", p.text());
		}
		return o;
	}

	public static ObjectNode tool(ToolDefinition t) {
		ObjectNode o = MAPPER.createObjectNode();
		o.put("type", "function");
		ObjectNode fn = o.putObject("function");
		fn.put("name", t.name());
		if (t.description() != null) {
			fn.put("description", t.description());
		}
		fn.set("parameters", t.parameters() == null ? MAPPER.createObjectNode().put("type", "object")
				: MAPPER.valueToTree(t.parameters()));
		if (t.strict()) {
			fn.put("strict", true);
		}
		return o;
	}

	private static JsonNode toolChoice(ToolChoice c) {
		return switch (c.mode()) {
		case AUTO -> MAPPER.getNodeFactory().textNode("auto");
		case NONE -> MAPPER.getNodeFactory().textNode("none");
		case REQUIRED -> MAPPER.getNodeFactory().textNode("required");
		case FUNCTION -> {
			ObjectNode o = MAPPER.createObjectNode().put("type", "function");
			o.putObject("function").put("name", c.function());
			yield o;
		}
		};
	}

	private static ObjectNode responseFormat(ResponseFormat f) {
		ObjectNode o = MAPPER.createObjectNode();
		switch (f.type()) {
		case TEXT -> o.put("type", "text");
		case JSON_OBJECT -> o.put("type", "json_object");
		case JSON_SCHEMA -> {
			o.put("type", "json_schema");
			ObjectNode js = o.putObject("json_schema");
			js.put("name", f.name() == null ? "response" : f.name());
			js.set("schema", MAPPER.valueToTree(f.schema()));
			if (f.strict()) {
				js.put("strict", true);
			}
		}
		}
		return o;
	}

	/**
	 * Sampling fields that were given, under OpenAI's names; Ollama's {@code options} take the same names but
	 * for the token limit and the repeat penalty, so those two names are the caller's.
	 */
	public static void sampling(ObjectNode b, Sampling s, String maxTokensField, String repeatPenaltyField) {
		putIfSet(b, "temperature", s.temperature());
		putIfSet(b, "top_p", s.topP());
		putIfSet(b, "min_p", s.minP());
		if (s.topK() != null) {
			b.put("top_k", s.topK());
		}
		if (s.maxTokens() != null) {
			b.put(maxTokensField, s.maxTokens());
		}
		if (s.seed() != null) {
			b.put("seed", s.seed());
		}
		if (!s.stop().isEmpty()) {
			ArrayNode stop = b.putArray("stop");
			s.stop().forEach(stop::add);
		}
		putIfSet(b, "presence_penalty", s.presencePenalty());
		putIfSet(b, "frequency_penalty", s.frequencyPenalty());
		putIfSet(b, repeatPenaltyField, s.repeatPenalty());
	}

	private static void putIfSet(ObjectNode b, String field, Double value) {
		if (value != null) {
			b.put(field, value);
		}
	}

	/**
	 * One chunk of a streamed answer as JSON: an upstream error in it, or a chunk that is not a JSON object, is
	 * the upstream's failure.
	 */
	public static JsonNode chunk(SseEvent event, Upstream u) {
		JsonNode chunk;
		try {
			chunk = MAPPER.readTree(event.data());
		} catch (java.io.IOException e) {
			throw UpstreamErrors.garbled(u, "a stream chunk that is not JSON", event.data());
		}
		if (chunk == null || !chunk.isObject()) {
			throw UpstreamErrors.garbled(u, "a stream chunk that is not a JSON object", event.data());
		}
		if (chunk.has("error")) {
			throw UpstreamErrors.status(u, 502, chunk.toString(), null, false);
		}
		return chunk;
	}

	/** A whole /chat/completions answer. */
	public static ChatResult result(JsonNode body, Upstream u) {
		JsonNode choice = body.path("choices").path(0);
		JsonNode message = choice.get("message");
		if (message == null || !message.isObject()) {
			throw UpstreamErrors.garbled(u, "a completion without choices[0].message", body.toString());
		}
		List<ToolCall> calls = new ArrayList<>();
		for (JsonNode c : message.path("tool_calls")) {
			JsonNode fn = c.path("function");
			calls.add(new ToolCall(c.path("id").asText("call_" + calls.size()), fn.path("name").asText(),
					arguments(fn.get("arguments"))));
		}
		String text = content(message.get("content"));
		String reasoning = reasoning(message);
		if (reasoning == null && text != null) {
			String[] split = ThinkTags.split(text); // a server without a reasoning parser leaves it in the text
			reasoning = split[0];
			text = split[1];
		}
		FinishReason reason = finishReason(choice.path("finish_reason").asText(null), !calls.isEmpty());
		return new ChatResult(ChatMessage.assistant(text, calls), reason,
				UpstreamUsage.of(body.get("usage"), body.get("timings")), Map.of(),
				reasoning, UpstreamLogprobs.chat(choice));
	}

	/**
	 * A reasoning model's thinking in a message or delta: {@code reasoning_content} (vLLM, LMDeploy, llama-server,
	 * DeepSeek) or {@code reasoning} (newer vLLM, OpenRouter); null when there is none.
	 */
	public static String reasoning(JsonNode messageOrDelta) {
		for (String field : REASONING_FIELDS) {
			JsonNode r = messageOrDelta.get(field);
			if (r != null && r.isTextual() && !r.textValue().isEmpty()) {
				return r.textValue();
			}
		}
		return null;
	}

	/** Arguments as a JSON text; some servers send them as an object. */
	static String arguments(JsonNode args) {
		if (args == null || args.isNull()) {
			return "{}";
		}
		return args.isTextual() ? args.asText() : args.toString();
	}

	/** Message content: a string, null, or text parts. */
	static String content(JsonNode content) {
		if (content == null || content.isNull()) {
			return null;
		}
		if (content.isArray()) {
			StringBuilder text = new StringBuilder();
			content.forEach(p -> text.append(p.path("text").asText("")));
			return text.toString();
		}
		return content.asText();
	}

	public static FinishReason finishReason(String wire, boolean calledTools) {
		if (wire == null) {
			return calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
		}
		return switch (wire) {
		case "length" -> FinishReason.LENGTH;
		case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
		case "content_filter" -> FinishReason.CONTENT_FILTER;
		default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
		};
	}

	/** A /models answer. */
	public static List<ModelInfo> models(JsonNode body, String provider, Upstream u) {
		JsonNode data = body.get("data");
		if (data == null || !data.isArray()) {
			throw UpstreamErrors.garbled(u, "a model list without data[]", body.toString());
		}
		List<ModelInfo> out = new ArrayList<>();
		for (JsonNode m : data) {
			if (m.hasNonNull("id")) {
				out.add(new ModelInfo(m.get("id").asText(), m.path("owned_by").asText(provider),
						m.path("created").asLong(0)));
			}
		}
		return out;
	}

	/** An /embeddings body asking for float vectors. */
	public static ObjectNode embeddingBody(EmbeddingRequest r) {
		ObjectNode b = MAPPER.createObjectNode();
		b.put("model", r.model());
		ArrayNode input = b.putArray("input");
		if (r.texts().isEmpty()) {
			for (int[] tokens : r.tokens()) {
				ArrayNode t = input.addArray();
				for (int id : tokens) {
					t.add(id);
				}
			}
		} else {
			r.texts().forEach(input::add);
		}
		if (r.dimensions() != null) {
			b.put("dimensions", r.dimensions());
		}
		if (r.user() != null) {
			b.put("user", r.user());
		}
		b.put("encoding_format", "float");
		return b;
	}

	/** An /embeddings answer, vectors in input order. */
	public static EmbeddingResult embeddings(JsonNode body, int inputs, Upstream u) {
		JsonNode data = body.get("data");
		if (data == null || !data.isArray() || data.size() != inputs) {
			throw UpstreamErrors.garbled(u, (data == null ? "no" : data.size()) + " embeddings for " + inputs
					+ " inputs", body.toString());
		}
		float[][] vectors = new float[inputs][];
		for (int i = 0; i < inputs; i++) {
			JsonNode item = data.get(i);
			int index = item.path("index").asInt(i);
			JsonNode e = item.get("embedding");
			if (index < 0 || index >= inputs || e == null || !e.isArray() || vectors[index] != null) {
				throw UpstreamErrors.garbled(u, "a malformed embedding at data[" + i + "]", item.toString());
			}
			vectors[index] = floats(e);
		}
		return new EmbeddingResult(List.of(vectors), body.path("usage").path("prompt_tokens").asInt(0));
	}

	/** A streamed /completions body: the prompt, the suffix for fill-in-the-middle, the sampling. */
	public static ObjectNode completionBody(CompletionRequest r) {
		ObjectNode b = MAPPER.createObjectNode();
		b.put("model", r.model());
		// the start of the middle already written goes on the prefix: /completions has no place of its own for it
		if (r.tokenized()) { // OpenAI's array of token ids, as the client sent it
			r.promptTokens().forEach(b.putArray("prompt")::add);
		} else {
			b.put("prompt", r.middle() == null ? r.prompt() : r.prompt() + r.middle());
		}
		if (r.suffix() != null) {
			b.put("suffix", r.suffix());
		}
		sampling(b, r.sampling(), "max_tokens", "repetition_penalty");
		if (r.extra().get(TokenLogprob.REQUEST) instanceof Number n) {
			b.put("logprobs", n.intValue());
		}
		b.put("stream", true);
		b.putObject("stream_options").put("include_usage", true);
		return b;
	}

	public static float[] floats(JsonNode array) {
		float[] v = new float[array.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = (float) array.get(i).asDouble();
		}
		return v;
	}
}
