package ai.local.runtime.session.itest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The runtime's API with the shortcuts of these tests: chat with the scripted provider's {@code recall} model. */
final class Api extends ai.local.runtime.testing.http.Api {

	Api(String base) {
		super(base);
	}

	/** POST /v1/chat/completions to the scripted provider's {@code recall} model. */
	Reply chat(List<String[]> messages, Map<String, Object> fields, String... headers) {
		ObjectNode body = JSON.createObjectNode().put("model", "scripted:recall");
		fields.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
		body.set("messages", messages(messages));
		return post("/v1/chat/completions", body, headers);
	}

	static List<String[]> user(String text) {
		List<String[]> one = new ArrayList<>();
		one.add(new String[] { "user", text });
		return one;
	}
}
