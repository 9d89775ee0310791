package ai.local.runtime.http.codec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.Usage;

/**
 * Text completions in two dialects: OpenAI's {@code /v1/completions} ({@code text_completion} objects and chunks)
 * and llama-server's {@code /infill} / {@code /completion} ({@code content}, {@code stop}, token counts).
 */
public final class CompletionCodec {

	private CompletionCodec() {
	}

	/** At most this many token ids in a prompt given as ids. */
	private static final int MAX_PROMPT_TOKENS = 1 << 20;
	/** At most this many prompts in one request (each its own choice). */
	static final int MAX_PROMPTS = 128;

	/** A prompt as text, or as token ids (then the text is empty). */
	private record Prompt(String text, List<Integer> tokens) {
	}

	/**
	 * OpenAI's prompt forms: a string, an array of token ids, or an array of several of either (a completion, a
	 * choice, each), at most {@link #MAX_PROMPTS}.
	 */
	private static List<Prompt> prompts(JsonNode p) {
		if (p != null && p.isArray() && p.size() > 1 && p.size() <= MAX_PROMPTS
				&& (p.get(0).isTextual() || p.get(0).isArray())) {
			List<Prompt> all = new ArrayList<>(p.size());
			for (JsonNode one : p) {
				if (!one.isTextual() && !one.isArray()) {
					throw ApiException.invalidRequest("'prompt' mixes texts or token arrays with other values", "prompt");
				}
				all.add(prompt(one));
			}
			return all;
		}
		return List.of(prompt(p));
	}

	/** One completion's prompt: a string, an array of token ids, or an array of one of either. */
	private static Prompt prompt(JsonNode p) {
		if (p == null || p.isNull()) {
			throw ApiException.invalidRequest("Missing required parameter: 'prompt'", "prompt");
		}
		if (p.isTextual()) {
			return new Prompt(p.textValue(), List.of());
		}
		if (p.isArray() && p.size() == 1 && (p.get(0).isTextual() || p.get(0).isArray())) {
			return prompt(p.get(0));
		}
		if (p.isArray() && p.size() > 0 && p.size() <= MAX_PROMPT_TOKENS) {
			List<Integer> ids = new ArrayList<>(p.size());
			for (JsonNode t : p) {
				if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0) {
					break;
				}
				ids.add(t.intValue());
			}
			if (ids.size() == p.size()) {
				return new Prompt("", ids);
			}
		}
		throw ApiException.invalidRequest("'prompt' must be a string or an array of token ids (at most "
				+ MAX_PROMPT_TOKENS + "), or an array of at most " + MAX_PROMPTS + " of them", "prompt");
	}

	/** {@code POST /v1/completions}: prompts (texts or token ids; several only when not streamed), {@code suffix}, {@code echo}. */
	public static CompletionCall openAi(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = Fields.requiredString(b, "model", "");
		List<Prompt> prompts = prompts(b.get("prompt"));
		boolean stream = Boolean.TRUE.equals(Fields.optBoolean(b, "stream", ""));
		if (stream && prompts.size() > 1) {
			throw ApiException.invalidRequest("A streamed completion takes one prompt; send the " + prompts.size()
					+ " prompts without stream, or one request each", "prompt");
		}
		Integer n = Fields.optInt(b, "n", "", 1, 128);
		if (n != null && n != 1) {
			throw ApiException.invalidRequest("Only n=1 is supported", "n");
		}
		JsonNode streamOptions = Fields.optObject(b, "stream_options", "");
		Map<String, Object> extra = passThrough(b);
		Integer top = LogprobsCodec.completionRequest(b);
		boolean echo = Boolean.TRUE.equals(Fields.optBoolean(b, "echo", ""));
		if (top != null) {
			extra.put(TokenLogprob.REQUEST, top);
			if (echo) { // the echoed prompt's tokens come with theirs (how evaluation harnesses score a text)
				extra.put(TokenLogprob.PROMPT_REQUEST, top);
			}
		}
		Sampling sampling;
		if (echo && b.path("max_tokens").isIntegralNumber() && b.get("max_tokens").asLong() == 0) {
			// max_tokens 0 with echo: only the prompt, scored
			ObjectNode rest = ((ObjectNode) b).deepCopy();
			rest.remove("max_tokens");
			Sampling s = ChatRequestDecoder.sampling(rest);
			sampling = new Sampling(s.temperature(), s.topP(), s.minP(), s.topK(), 0, s.seed(), s.stop(),
					s.presencePenalty(), s.frequencyPenalty(), s.repeatPenalty());
		} else {
			sampling = ChatRequestDecoder.sampling(b);
		}
		String suffix = Fields.optString(b, "suffix", "");
		List<CompletionRequest> requests = new ArrayList<>(prompts.size());
		for (Prompt prompt : prompts) {
			requests.add(new CompletionRequest(model, prompt.text(), suffix, List.of(), null, sampling, extra, null,
					prompt.tokens()));
		}
		return new CompletionCall(requests, stream, echo, streamOptions != null
						&& Boolean.TRUE.equals(Fields.optBoolean(streamOptions, "include_usage", "stream_options")));
	}

	/**
	 * llama-server's {@code /infill} ({@code input_prefix}, {@code input_suffix}, {@code input_extra}:
	 * [{filename, text}], {@code prompt}: the start of the middle) and {@code /completion} ({@code prompt});
	 * {@code n_predict}, {@code stream}, {@code n_probs} (with {@code post_sampling_probs}) and the sampling fields.
	 */
	public static CompletionCall llama(byte[] body, boolean infill) {
		JsonNode b = Json.parse(body);
		String model = Fields.optString(b, "model", "");
		Prompt prompt;
		String suffix = null;
		String middle = null;
		List<String> extra = new ArrayList<>();
		if (infill) {
			prompt = new Prompt(orEmpty(Fields.optString(b, "input_prefix", "")), List.of());
			suffix = orEmpty(Fields.optString(b, "input_suffix", ""));
			middle = Fields.optString(b, "prompt", ""); // after the middle token: the text before the cursor
			JsonNode chunks = Fields.optArray(b, "input_extra", "");
			for (int i = 0; chunks != null && i < chunks.size(); i++) {
				String at = Fields.path("input_extra", i);
				JsonNode c = chunks.get(i);
				if (!c.isObject()) {
					throw Fields.wrongType(at, "", "an object", c);
				}
				String file = Fields.optString(c, "filename", at);
				extra.add((file == null ? "" : file + "\n") + orEmpty(Fields.optString(c, "text", at)));
			}
		} else {
			prompt = prompt(b.get("prompt"));
		}
		Sampling s = ChatRequestDecoder.sampling(b);
		Integer predict = Fields.optInt(b, "n_predict", "", -1, Integer.MAX_VALUE);
		if (predict != null && predict >= 0) {
			s = new Sampling(s.temperature(), s.topP(), s.minP(), s.topK(), Math.max(1, predict), s.seed(), s.stop(),
					s.presencePenalty(), s.frequencyPenalty(), s.repeatPenalty());
		}
		Map<String, Object> fields = passThrough(b);
		Integer probs = Fields.optInt(b, "n_probs", "", 0, LogprobsCodec.MAX_TOP);
		if (probs != null && probs > 0) {
			fields.put(TokenLogprob.REQUEST, probs);
		}
		CompletionRequest request = new CompletionRequest(model == null ? "" : model, prompt.text(), suffix, extra, middle,
				s, fields, null, prompt.tokens());
		return new CompletionCall(List.of(request), Boolean.TRUE.equals(Fields.optBoolean(b, "stream", "")), false, false,
				Boolean.TRUE.equals(Fields.optBoolean(b, "post_sampling_probs", "")));
	}

	private static String orEmpty(String s) {
		return s == null ? "" : s;
	}

	/** llama-server's extensions a provider may read: cache_prompt, ignore_eos, typical_p, keep_alive, logit_bias, grammar. */
	private static Map<String, Object> passThrough(JsonNode b) {
		Map<String, Object> extra = new HashMap<>();
		for (String key : List.of("cache_prompt", "ignore_eos", "typical_p", "keep_alive", "logit_bias", "grammar")) {
			JsonNode v = b.get(key);
			if (v != null && !v.isNull()) {
				extra.put(key, Json.MAPPER.convertValue(v, Object.class));
			}
		}
		return extra;
	}

	/** One prompt's answer: the echoed prompt (empty without echo) and the result. */
	public record Answer(String echoed, ChatResult result) {
	}

	/** A whole {@code text_completion}: a choice per prompt, in order; the usage and timings of them all. */
	public static ObjectNode openAiWhole(String id, long created, String model, List<Answer> answers) {
		ObjectNode o = openAiChunk(id, created, model, "", null);
		ArrayNode choices = o.putArray("choices");
		Usage usage = Usage.NONE;
		for (int i = 0; i < answers.size(); i++) {
			ChatResult result = answers.get(i).result();
			String echoed = answers.get(i).echoed();
			ObjectNode c = choice(choices.addObject(), i, echoed + result.message().text(), result.finishReason());
			if (!result.promptLogprobs().isEmpty()) { // an echoed prompt's tokens first, then the completion's
				List<TokenLogprob> all = new ArrayList<>(result.promptLogprobs());
				all.addAll(result.logprobs());
				c.set("logprobs", LogprobsCodec.completion(all, 0));
			} else if (!result.logprobs().isEmpty()) {
				c.set("logprobs", LogprobsCodec.completion(result.logprobs(), echoed.length()));
			}
			usage = usage.plus(result.usage());
		}
		o.set("usage", ChatEncoder.usage(usage));
		return TimingsCodec.put(o, usage);
	}

	/** A {@code text_completion} chunk; {@code finish} null while it goes on. */
	public static ObjectNode openAiChunk(String id, long created, String model, String text, FinishReason finish) {
		ObjectNode o = Json.object();
		o.put("id", id);
		o.put("object", "text_completion");
		o.put("created", created);
		o.put("model", model);
		choice(o.putArray("choices").addObject(), 0, text, finish);
		return o;
	}

	private static ObjectNode choice(ObjectNode c, int index, String text, FinishReason finish) {
		c.put("text", text);
		c.put("index", index);
		c.putNull("logprobs");
		if (finish == null) {
			c.putNull("finish_reason");
		} else {
			c.put("finish_reason", finish == FinishReason.LENGTH ? "length" : "stop");
		}
		return c;
	}

	/** llama-server's answer: {@code content}, {@code stop}, and on the last one the counts. */
	public static ObjectNode llama(String model, String content, FinishReason finish, Usage usage) {
		return llama(model, content, finish, usage, List.of(), false);
	}

	/** With {@code n_probs}: the tokens' {@code completion_probabilities} (see {@link LogprobsCodec#llama}). */
	public static ObjectNode llama(String model, String content, FinishReason finish, Usage usage,
			List<TokenLogprob> tokens, boolean probabilities) {
		ObjectNode o = Json.object();
		o.put("content", content);
		o.put("stop", finish != null);
		if (!tokens.isEmpty()) {
			o.set("completion_probabilities", LogprobsCodec.llama(tokens, probabilities));
		}
		if (finish != null) {
			o.put("model", model);
			o.put("tokens_predicted", usage.completionTokens());
			o.put("tokens_evaluated", usage.promptTokens());
			o.put("stop_type", finish == FinishReason.LENGTH ? "limit" : "eos");
			o.put("truncated", false);
			TimingsCodec.put(o, usage);
		}
		return o;
	}

	/** The whole llama-server answer of a result. */
	public static ObjectNode llama(String model, ChatResult result, boolean probabilities) {
		return llama(model, result.message().text(), result.finishReason(), result.usage(), result.logprobs(),
				probabilities);
	}
}
