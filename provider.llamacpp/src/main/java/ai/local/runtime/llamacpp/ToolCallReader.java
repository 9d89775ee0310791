package ai.local.runtime.llamacpp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.ToolCallDelta;

/**
 * Reads the generic tool-call JSON (see {@link OutputFormat}) while it is generated and streams it on as it
 * arrives: {@code {"response": "..."}} becomes assistant text, each element of {@code {"tool_calls": [...]}}
 * a tool-call start delta (index, id, name) followed by fragments of its raw arguments JSON. The grammar
 * guarantees the shape; the reader only has to cope with where a piece happens to end.
 */
final class ToolCallReader {
	private static final SecureRandom RANDOM = new SecureRandom();
	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private final ChatSink sink;
	private final StringBuilder buffer = new StringBuilder();
	private final List<Integer> argumentsSent = new ArrayList<>();
	private int textSent;

	ToolCallReader(ChatSink sink) {
		this.sink = sink;
	}

	void accept(String piece) {
		buffer.append(piece);
		JsonCursor c = new JsonCursor(buffer);
		if (!c.skip('{')) {
			return;
		}
		String key = c.string();
		if (key == null || !c.skip(':')) {
			return;
		}
		if (key.equals("response")) {
			c.ws();
			String text = c.partialString();
			if (text != null && text.length() > textSent) {
				sink.text(text.substring(textSent));
				textSent = text.length();
			}
		} else if (key.equals("tool_calls") && c.skip('[')) {
			calls(c);
		}
	}

	int calls() {
		return argumentsSent.size();
	}

	/** Whether the generated document was closed; a cut one may hold a call whose arguments never ended. */
	boolean complete() {
		JsonCursor c = new JsonCursor(buffer);
		c.ws();
		return c.pos < buffer.length() && buffer.charAt(c.pos) == '{' && c.valueEnd() >= 0;
	}

	private void calls(JsonCursor c) {
		for (int index = 0;; index++) {
			if (!c.skip('{') || !"name".equals(c.string()) || !c.skip(':')) {
				return;
			}
			String name = c.string();
			if (name == null || !c.skip(',') || !"arguments".equals(c.string()) || !c.skip(':')) {
				return;
			}
			if (index == argumentsSent.size()) {
				sink.toolCall(ToolCallDelta.start(index, newId(), name));
				argumentsSent.add(0);
			}
			c.ws();
			int start = c.pos;
			int end = c.valueEnd();
			String raw = buffer.substring(start, end < 0 ? buffer.length() : end);
			if (raw.length() > argumentsSent.get(index)) {
				sink.toolCall(ToolCallDelta.arguments(index, raw.substring(argumentsSent.get(index))));
				argumentsSent.set(index, raw.length());
			}
			if (end < 0) {
				return;
			}
			c.pos = end;
			if (!c.skip('}') || !c.skip(',')) {
				return;
			}
		}
	}

	/** A new tool-call id, in OpenAI's shape. */
	static String newId() {
		StringBuilder b = new StringBuilder("call_");
		for (int i = 0; i < 24; i++) {
			b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return b.toString();
	}
}
