package ai.local.runtime.provider.openai.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.TokenLogprob;

/** An upstream's log-probabilities, in OpenAI's chat and legacy completions shapes. */
final class UpstreamLogprobs {

	private UpstreamLogprobs() {
	}

	/** Chat's {@code logprobs.content} of a choice or chunk; empty when it has none. */
	static List<TokenLogprob> chat(JsonNode choice) {
		List<TokenLogprob> out = new ArrayList<>();
		for (JsonNode e : choice.path("logprobs").path("content")) {
			List<TokenLogprob> top = new ArrayList<>();
			for (JsonNode alt : e.path("top_logprobs")) {
				top.add(token(alt, List.of()));
			}
			out.add(token(e, top));
		}
		return out;
	}

	/** The legacy completions' {@code logprobs} of a choice: tokens, token_logprobs, top_logprobs maps. */
	static List<TokenLogprob> text(JsonNode choice) {
		JsonNode l = choice.path("logprobs");
		List<TokenLogprob> out = new ArrayList<>();
		JsonNode tokens = l.path("tokens");
		for (int i = 0; i < tokens.size(); i++) {
			List<TokenLogprob> top = new ArrayList<>();
			l.path("top_logprobs").path(i).fields().forEachRemaining(f -> top.add(new TokenLogprob(f.getKey(),
					f.getValue().asDouble(), f.getKey().getBytes(StandardCharsets.UTF_8), List.of())));
			String t = tokens.get(i).asText();
			out.add(new TokenLogprob(t, l.path("token_logprobs").path(i).asDouble(),
					t.getBytes(StandardCharsets.UTF_8), top));
		}
		return out;
	}

	private static TokenLogprob token(JsonNode e, List<TokenLogprob> top) {
		String t = e.path("token").asText("");
		byte[] bytes;
		if (e.path("bytes").isArray()) {
			bytes = new byte[e.get("bytes").size()];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = (byte) e.get("bytes").get(i).asInt();
			}
		} else {
			bytes = t.getBytes(StandardCharsets.UTF_8);
		}
		return new TokenLogprob(t, e.path("logprob").asDouble(), bytes, top);
	}
}
