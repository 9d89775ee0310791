package ai.local.runtime.http.codec;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.TokenLogprob;

/**
 * Log-probabilities in OpenAI's two shapes: chat's {@code {"content": [{token, logprob, bytes, top_logprobs}]}}
 * and the legacy completions' {@code {tokens, token_logprobs, top_logprobs: [{token: logprob}], text_offset}}.
 */
public final class LogprobsCodec {
	/** What the engine gives at most beside each token. */
	static final int MAX_TOP = 20;

	private LogprobsCodec() {
	}

	/** Chat: {@code logprobs: true} and {@code top_logprobs} (0 to 20) → how many alternatives; null for none. */
	static Integer chatRequest(JsonNode b) {
		boolean asked = Boolean.TRUE.equals(Fields.optBoolean(b, "logprobs", ""));
		Integer top = Fields.optInt(b, "top_logprobs", "", 0, MAX_TOP);
		if (top != null && !asked) {
			throw ApiException.invalidRequest("'top_logprobs' needs 'logprobs': true", "top_logprobs");
		}
		return asked ? (top == null ? 0 : top) : null;
	}

	/** Completions: {@code logprobs} is itself the number of alternatives; null for none. */
	static Integer completionRequest(JsonNode b) {
		return Fields.optInt(b, "logprobs", "", 0, MAX_TOP);
	}

	public static ObjectNode chat(List<TokenLogprob> tokens) {
		ObjectNode o = Json.object();
		ArrayNode content = o.putArray("content");
		for (TokenLogprob t : tokens) {
			ObjectNode e = entry(content.addObject(), t);
			ArrayNode top = e.putArray("top_logprobs");
			t.top().forEach(alt -> entry(top.addObject(), alt));
		}
		o.putNull("refusal");
		return o;
	}

	private static ObjectNode entry(ObjectNode e, TokenLogprob t) {
		e.put("token", t.token());
		e.put("logprob", t.logprob());
		ArrayNode bytes = e.putArray("bytes");
		for (byte b : t.bytes()) {
			bytes.add(b & 0xff);
		}
		return e;
	}

	/**
	 * llama-server's {@code completion_probabilities}: per token its id, text (what of its bytes is whole UTF-8),
	 * bytes and {@code logprob}, with {@code top_logprobs} in the same shape; with {@code probabilities}
	 * ({@code post_sampling_probs}) {@code prob} and {@code top_probs}, which here are the model's probabilities
	 * before sampling.
	 */
	public static ArrayNode llama(List<TokenLogprob> tokens, boolean probabilities) {
		ArrayNode out = Json.MAPPER.createArrayNode();
		for (TokenLogprob t : tokens) {
			ObjectNode e = llamaEntry(out.addObject(), t, probabilities);
			ArrayNode top = e.putArray(probabilities ? "top_probs" : "top_logprobs");
			t.top().forEach(alt -> llamaEntry(top.addObject(), alt, probabilities));
		}
		return out;
	}

	private static ObjectNode llamaEntry(ObjectNode e, TokenLogprob t, boolean probabilities) {
		e.put("id", t.id());
		String text = t.token();
		int end = text.length();
		while (end > 0 && text.charAt(end - 1) == '\uFFFD') { // a character's first bytes: left out, as llama-server does
			end--;
		}
		e.put("token", text.substring(0, end));
		ArrayNode bytes = e.putArray("bytes");
		for (byte b : t.bytes()) {
			bytes.add(b & 0xff);
		}
		if (probabilities) {
			e.put("prob", Math.exp(t.logprob()));
		} else {
			e.put("logprob", t.logprob());
		}
		return e;
	}

	/** The legacy shape; {@code offset}: where the first token starts in the choice's text. */
	public static ObjectNode completion(List<TokenLogprob> tokens, int offset) {
		ObjectNode o = Json.object();
		ArrayNode text = o.putArray("tokens");
		ArrayNode logprobs = o.putArray("token_logprobs");
		ArrayNode top = o.putArray("top_logprobs");
		ArrayNode offsets = o.putArray("text_offset");
		int at = offset;
		for (TokenLogprob t : tokens) {
			text.add(t.token());
			if (Double.isNaN(t.logprob())) { // a prompt's first token: nothing predicts it
				logprobs.addNull();
				top.addNull();
			} else {
				logprobs.add(t.logprob());
				ObjectNode alternatives = top.addObject();
				t.top().forEach(alt -> alternatives.put(alt.token(), alt.logprob()));
			}
			offsets.add(at);
			at += t.token().length();
		}
		return o;
	}
}
