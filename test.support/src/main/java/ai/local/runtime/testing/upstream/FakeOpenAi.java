package ai.local.runtime.testing.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * An OpenAI-compatible server (vLLM, LMDeploy, MNN flavours): {@code PREFIX/models},
 * {@code PREFIX/chat/completions} (whole, or SSE chunks as in the OpenAI reference: a role chunk, content
 * deltas, tool-call deltas with index/id/type/name first and argument fragments after, the finish chunk, the
 * usage chunk when {@code stream_options.include_usage}, {@code [DONE]}), {@code PREFIX/embeddings},
 * {@code PREFIX/completions} (streamed {@code text_completion} chunks: "Continued: PROMPT", or "Filled: PROMPT|SUFFIX"
 * with a suffix, a word a chunk) and {@code PREFIX/rerank} (vLLM's answer: results highest first, each score the share
 * of the query's words in the document).
 */
public class FakeOpenAi extends FakeUpstream {
	private final String prefix;
	private final List<String> models;
	private final boolean lmdeploy;
	/** The API key required as Bearer; null for none. */
	public volatile String requiredKey;

	/**
	 * @param prefix "/v1", or "" for servers that serve the API at the root
	 * @param models served model ids; null: the server has no model list (404), and takes any model id
	 * @param lmdeploy answer /embeddings as LMDeploy's turbomind does (400 "Unsupported by turbomind.")
	 */
	public FakeOpenAi(String prefix, List<String> models, boolean lmdeploy) {
		this.prefix = prefix;
		this.models = models;
		this.lmdeploy = lmdeploy;
	}

	@Override
	protected void handle(HttpExchange ex, Recorded r) throws IOException {
		String key = requiredKey;
		if (key != null && !("Bearer " + key).equals(r.header("Authorization"))) {
			json(ex, 401, error("Incorrect API key provided", "invalid_request_error", 401));
			return;
		}
		String path = r.path();
		if (path.equals(prefix + "/models") && r.method().equals("GET") && models != null) {
			ObjectNode list = JSON.createObjectNode().put("object", "list");
			ArrayNode data = list.putArray("data");
			models.forEach(m -> data.addObject().put("id", m).put("object", "model").put("created", 1_700_000_000L)
					.put("owned_by", "fake"));
			json(ex, 200, list);
		} else if (path.equals(prefix + "/chat/completions") && r.method().equals("POST")) {
			chat(ex, r.body());
		} else if (path.equals(prefix + "/embeddings") && r.method().equals("POST")) {
			embeddings(ex, r.body());
		} else if (path.equals(prefix + "/completions") && r.method().equals("POST")) {
			completions(ex, r.body());
		} else if (path.equals(prefix + "/rerank") && r.method().equals("POST")) {
			rerank(ex, r.body());
		} else {
			json(ex, 404, "{\"detail\":\"Not Found\"}");
		}
	}

	private static ObjectNode error(String message, String type, int code) {
		ObjectNode e = JSON.createObjectNode();
		e.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
		return e;
	}

	private void chat(HttpExchange ex, JsonNode body) throws IOException {
		String model = body.path("model").asText();
		if (models != null && !models.contains(model)) {
			json(ex, 404, error("The model `" + model + "` does not exist.", "NotFoundError", 404));
			return;
		}
		Integer max = body.hasNonNull("max_tokens") ? body.get("max_tokens").asInt() : null;
		Script s = Script.answer(model, body.path("messages"), body.get("tools"), max);
		String finish = !s.calls().isEmpty() ? "tool_calls" : s.truncated() ? "length" : "stop";
		int completion = s.tokens().size() + s.calls().size() * 8;
		if (!body.path("stream").asBoolean(false)) {
			if (garbled) {
				send(ex, 200, "application/json", "<html><body>502 Bad Gateway</body></html>");
				return;
			}
			ObjectNode c = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion")
					.put("created", 1_700_000_000L).put("model", model);
			ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
			ObjectNode message = choice.putObject("message").put("role", "assistant");
			if (!s.reasoning().isEmpty()) {
				message.put("reasoning_content", s.reasoningText());
			}
			if (s.calls().isEmpty()) {
				message.put("content", s.text());
			} else {
				message.putNull("content");
				ArrayNode calls = message.putArray("tool_calls");
				for (int i = 0; i < s.calls().size(); i++) {
					calls.addObject().put("id", "call_fake" + i).put("type", "function").putObject("function")
							.put("name", s.calls().get(i).name()).put("arguments", s.calls().get(i).arguments());
				}
			}
			choice.put("finish_reason", finish);
			usage(c, s, completion, body);
			json(ex, 200, c);
			return;
		}
		boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
		OutputStream out = open(ex, "text/event-stream; charset=utf-8");
		piece(out, chunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null, usage));
		if (garbled) {
			piece(out, "data: {\"id\":\"chatcmpl-fake\",\"choices\":[{\"delta\":{\"content\n\n");
			return;
		}
		for (String t : s.reasoning()) {
			// vLLM with a reasoning parser: the thinking in reasoning_content deltas, before the answer
			piece(out, chunk(model, JSON.createObjectNode().put("reasoning_content", t), null, usage));
		}
		for (String t : s.tokens()) {
			piece(out, chunk(model, JSON.createObjectNode().put("content", t), null, usage));
		}
		for (int i = 0; i < s.calls().size(); i++) {
			Script.Call call = s.calls().get(i);
			ObjectNode start = JSON.createObjectNode();
			start.putArray("tool_calls").addObject().put("index", i).put("id", "call_fake" + i).put("type", "function")
					.putObject("function").put("name", call.name()).put("arguments", "");
			piece(out, chunk(model, start, null, usage));
			int half = call.arguments().length() / 2;
			for (String fragment : new String[] { call.arguments().substring(0, half), call.arguments().substring(half) }) {
				ObjectNode args = JSON.createObjectNode();
				args.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", fragment);
				piece(out, chunk(model, args, null, usage));
			}
		}
		piece(out, chunk(model, JSON.createObjectNode(), finish, usage));
		if (usage) {
			ObjectNode u = base(model);
			u.putArray("choices");
			usage(u, s, completion, body);
			piece(out, "data: " + JSON.writeValueAsString(u) + "\n\n");
		}
		piece(out, "data: [DONE]\n\n");
		completedStreams.incrementAndGet();
	}

	private static void usage(ObjectNode answer, Script s, int completion, JsonNode body) {
		ObjectNode u = answer.putObject("usage").put("prompt_tokens", s.promptTokens()).put("completion_tokens", completion)
				.put("total_tokens", s.promptTokens() + completion);
		u.putObject("prompt_tokens_details").put("cached_tokens", Script.cachedTokens(body.path("messages")));
	}

	private void completions(HttpExchange ex, JsonNode body) throws IOException {
		String model = body.path("model").asText();
		String text = body.hasNonNull("suffix") ? "Filled: " + body.path("prompt").asText() + "|" + body.get("suffix").asText()
				: "Continued: " + body.path("prompt").asText();
		List<String> words = Script.words(text);
		int max = body.hasNonNull("max_tokens") ? body.get("max_tokens").asInt() : words.size();
		List<String> sent = words.subList(0, Math.min(max, words.size()));
		OutputStream out = open(ex, "text/event-stream; charset=utf-8");
		for (int i = 0; i <= sent.size(); i++) {
			ObjectNode c = JSON.createObjectNode().put("id", "cmpl-fake").put("object", "text_completion")
					.put("created", 1_700_000_000L).put("model", model);
			ObjectNode choice = c.putArray("choices").addObject().put("index", 0)
					.put("text", i < sent.size() ? sent.get(i) : "");
			choice.putNull("logprobs");
			if (i < sent.size()) {
				choice.putNull("finish_reason");
			} else {
				choice.put("finish_reason", sent.size() < words.size() ? "length" : "stop");
			}
			piece(out, "data: " + JSON.writeValueAsString(c) + "\n\n");
		}
		ObjectNode u = JSON.createObjectNode().put("id", "cmpl-fake").put("object", "text_completion").put("model", model);
		u.putArray("choices");
		u.putObject("usage").put("prompt_tokens", Script.words(body.path("prompt").asText()).size())
				.put("completion_tokens", sent.size()).put("total_tokens", 0);
		piece(out, "data: " + JSON.writeValueAsString(u) + "\n\n");
		piece(out, "data: [DONE]\n\n");
	}

	private void rerank(HttpExchange ex, JsonNode body) throws IOException {
		List<String> query = Script.words(body.path("query").asText().toLowerCase()).stream().map(String::strip).toList();
		ObjectNode r = JSON.createObjectNode().put("id", "rerank-fake").put("model", body.path("model").asText());
		List<double[]> scored = new java.util.ArrayList<>();
		JsonNode docs = body.path("documents");
		for (int i = 0; i < docs.size(); i++) {
			String doc = docs.get(i).asText().toLowerCase();
			long hits = query.stream().filter(doc::contains).count();
			scored.add(new double[] { i, query.isEmpty() ? 0 : (double) hits / query.size() });
		}
		scored.sort((a, b) -> Double.compare(b[1], a[1]));
		ArrayNode results = r.putArray("results");
		for (double[] s : scored) {
			ObjectNode item = results.addObject().put("index", (int) s[0]);
			item.putObject("document").put("text", docs.get((int) s[0]).asText());
			item.put("relevance_score", s[1]);
		}
		r.putObject("usage").put("total_tokens", docs.size() * 4);
		json(ex, 200, r);
	}

	private static ObjectNode base(String model) {
		return JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
				.put("created", 1_700_000_000L).put("model", model);
	}

	private static String chunk(String model, ObjectNode delta, String finish, boolean usage) throws IOException {
		ObjectNode c = base(model);
		ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
		choice.set("delta", delta);
		if (finish == null) {
			choice.putNull("finish_reason");
		} else {
			choice.put("finish_reason", finish);
		}
		if (usage) {
			c.putNull("usage");
		}
		return "data: " + JSON.writeValueAsString(c) + "\n\n";
	}

	private void embeddings(HttpExchange ex, JsonNode body) throws IOException {
		if (lmdeploy) {
			json(ex, 400, "{\"object\":\"error\",\"message\":\"Unsupported by turbomind.\",\"code\":400,\"param\":null,"
					+ "\"type\":null}");
			return;
		}
		JsonNode input = body.path("input");
		int dims = body.hasNonNull("dimensions") ? body.get("dimensions").asInt() : 8;
		ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", body.path("model").asText());
		ArrayNode data = answer.putArray("data");
		int i = 0;
		int tokens = 0;
		for (JsonNode in : input.isArray() ? input : JSON.createArrayNode().add(input)) {
			ArrayNode v = data.addObject().put("object", "embedding").put("index", i++).putArray("embedding");
			for (float f : Script.vector(in.toString(), dims)) {
				v.add(f);
			}
			tokens += Script.words(in.asText(in.toString())).size();
		}
		answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
		json(ex, 200, answer);
	}
}
