package ai.local.runtime.testing.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Ollama's native API as documented (docs/api.md): /api/tags, /api/ps, /api/version, /api/chat (NDJSON lines
 * with {@code done:false}, then the {@code done:true} line with done_reason, prompt_eval_count and eval_count;
 * stream defaults to true; tool calls whole, arguments as an object, no id or index; with {@code think: true}
 * a thinking model's {@code message.thinking} before the content; keep_alive 0 with no messages unloads),
 * /api/embed; errors as {@code {"error":"..."}}.
 */
public class FakeOllama extends FakeUpstream {
	private final List<String> models;
	private final Set<String> loaded = ConcurrentHashMap.newKeySet();

	public FakeOllama(List<String> models) {
		this.models = models;
	}

	public Set<String> loaded() {
		return Set.copyOf(loaded);
	}

	@Override
	protected void handle(HttpExchange ex, Recorded r) throws IOException {
		switch (r.method() + " " + r.path()) {
		case "GET /api/tags" -> {
			ObjectNode tags = JSON.createObjectNode();
			ArrayNode list = tags.putArray("models");
			for (String m : models) {
				ObjectNode o = list.addObject().put("name", m).put("model", m)
						.put("modified_at", "2025-06-01T10:00:00.000000+02:00").put("size", 4_683_087_332L)
						.put("digest", "845dbda0ea48ed749caafd9e6037047aa19acfcfd82e704d7ca97d631a0b697e");
				o.putObject("details").put("parent_model", "").put("format", "gguf").put("family", "qwen2")
						.put("parameter_size", "7.6B").put("quantization_level", "Q4_K_M");
			}
			json(ex, 200, tags);
		}
		case "GET /api/ps" -> {
			ObjectNode ps = JSON.createObjectNode();
			ArrayNode list = ps.putArray("models");
			for (String m : loaded) {
				list.addObject().put("name", m).put("model", m).put("size", 5_137_025_024L)
						.put("size_vram", 5_137_025_024L).put("expires_at", Instant.now().plusSeconds(300).toString());
			}
			json(ex, 200, ps);
		}
		case "GET /api/version" -> json(ex, 200, "{\"version\":\"0.12.6\"}");
		case "POST /api/chat" -> chat(ex, r.body());
		case "POST /api/embed" -> embed(ex, r.body());
		default -> send(ex, 404, "text/plain; charset=utf-8", "404 page not found");
		}
	}

	private boolean known(HttpExchange ex, String model) throws IOException {
		if (models.contains(model)) {
			return true;
		}
		json(ex, 404, JSON.createObjectNode().put("error", "model '" + model + "' not found"));
		return false;
	}

	private void chat(HttpExchange ex, JsonNode body) throws IOException {
		String model = body.path("model").asText();
		if (!known(ex, model)) {
			return;
		}
		JsonNode keepAlive = body.get("keep_alive");
		if (body.path("messages").isEmpty() && keepAlive != null && keepAlive.asText().equals("0")) {
			loaded.remove(model);
			ObjectNode unload = line(model, "");
			unload.put("done_reason", "unload").put("done", true);
			json(ex, 200, unload);
			return;
		}
		loaded.add(model);
		JsonNode options = body.path("options");
		Integer max = options.hasNonNull("num_predict") ? options.get("num_predict").asInt() : null;
		Script s = Script.answer(model, body.path("messages"), body.get("tools"), max);
		// a thinking model thinks (in message.thinking) only when the request says "think": true
		List<String> thinking = body.path("think").asBoolean(false) ? s.reasoning() : List.of();
		ObjectNode last = line(model, "");
		last.put("done", true).put("done_reason", s.truncated() ? "length" : "stop")
				.put("total_duration", 1_234_567_890L).put("load_duration", 12_345_678L)
				.put("prompt_eval_count", s.promptTokens()).put("prompt_eval_duration", 23_456_789L)
				.put("eval_count", s.tokens().size() + s.calls().size() * 8).put("eval_duration", 345_678_901L);
		if (!body.path("stream").asBoolean(true)) {
			if (garbled) {
				send(ex, 200, "application/json; charset=utf-8", "{\"model\":\"" + model + "\",\"message\":");
				return;
			}
			ObjectNode message = message(s.text(), s.calls());
			if (!thinking.isEmpty()) {
				message.put("thinking", String.join("", thinking));
			}
			last.set("message", message);
			json(ex, 200, last);
			return;
		}
		OutputStream out = open(ex, "application/x-ndjson");
		if (garbled) {
			piece(out, JSON.writeValueAsString(line(model, "Hel")) + "\n");
			piece(out, "this is not json\n");
			return;
		}
		for (String t : thinking) {
			ObjectNode thought = line(model, "");
			((ObjectNode) thought.get("message")).put("thinking", t);
			piece(out, JSON.writeValueAsString(thought) + "\n");
		}
		for (String t : s.tokens()) {
			piece(out, JSON.writeValueAsString(line(model, t)) + "\n");
		}
		if (!s.calls().isEmpty()) {
			ObjectNode calls = line(model, "");
			calls.set("message", message("", s.calls()));
			piece(out, JSON.writeValueAsString(calls) + "\n");
		}
		piece(out, JSON.writeValueAsString(last) + "\n");
		completedStreams.incrementAndGet();
	}

	private static ObjectNode line(String model, String content) {
		ObjectNode o = JSON.createObjectNode().put("model", model).put("created_at", Instant.now().toString());
		o.putObject("message").put("role", "assistant").put("content", content);
		o.put("done", false);
		return o;
	}

	private static ObjectNode message(String content, List<Script.Call> calls) throws IOException {
		ObjectNode m = JSON.createObjectNode().put("role", "assistant").put("content", content);
		if (!calls.isEmpty()) {
			ArrayNode list = m.putArray("tool_calls");
			for (Script.Call c : calls) {
				list.addObject().putObject("function").put("name", c.name()).set("arguments", JSON.readTree(c.arguments()));
			}
		}
		return m;
	}

	private void embed(HttpExchange ex, JsonNode body) throws IOException {
		String model = body.path("model").asText();
		if (!known(ex, model)) {
			return;
		}
		JsonNode input = body.path("input");
		int dims = body.hasNonNull("dimensions") ? body.get("dimensions").asInt() : 8;
		ObjectNode answer = JSON.createObjectNode().put("model", model);
		ArrayNode embeddings = answer.putArray("embeddings");
		int tokens = 0;
		for (JsonNode in : input.isArray() ? input : JSON.createArrayNode().add(input)) {
			ArrayNode v = embeddings.addArray();
			for (float f : Script.vector(in.asText(), dims)) {
				v.add(f);
			}
			tokens += Script.words(in.asText()).size();
		}
		answer.put("total_duration", 14_143_917L).put("load_duration", 1_019_500L).put("prompt_eval_count", tokens);
		json(ex, 200, answer);
	}
}
