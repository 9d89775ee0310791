package ai.local.runtime.provider.openai.client;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.Usage;

/**
 * Reasoning an upstream left in the answer's text: a reply that opens with {@code <think>} (servers run without a
 * reasoning parser) goes to {@link ChatSink#reasoning} up to {@code </think>}, the rest as text. A tag split across
 * pieces is held back until it is whole; nothing else is delayed.
 */
final class ThinkTags implements ChatSink {
	private static final String OPEN = "<think>";
	private static final String CLOSE = "</think>";

	private enum State {
		START, THINKING, ANSWER
	}

	private final ChatSink sink;
	private final StringBuilder held = new StringBuilder();
	private State state = State.START;

	ThinkTags(ChatSink sink) {
		this.sink = sink;
	}

	/** The reasoning and the answer of a whole reply: {reasoning or null, answer}. */
	static String[] split(String content) {
		String trimmed = content.stripLeading();
		if (!trimmed.startsWith(OPEN)) {
			return new String[] { null, content };
		}
		int close = trimmed.indexOf(CLOSE);
		if (close < 0) {
			return new String[] { trimmed.substring(OPEN.length()), "" };
		}
		return new String[] { trimmed.substring(OPEN.length(), close), trimmed.substring(close + CLOSE.length()).stripLeading() };
	}

	@Override
	public void text(String fragment) {
		held.append(fragment);
		while (true) {
			switch (state) {
			case START -> {
				String t = held.toString().stripLeading();
				if (t.startsWith(OPEN)) {
					held.setLength(0);
					held.append(t.substring(OPEN.length()));
					state = State.THINKING;
				} else if (OPEN.startsWith(t)) {
					return; // maybe the tag, not yet whole
				} else {
					state = State.ANSWER;
				}
			}
			case THINKING -> {
				int close = held.indexOf(CLOSE);
				if (close >= 0) {
					emitReasoning(held.substring(0, close));
					String rest = held.substring(close + CLOSE.length()).stripLeading();
					held.setLength(0);
					held.append(rest);
					state = State.ANSWER;
				} else {
					int keep = partialTag(held);
					emitReasoning(held.substring(0, held.length() - keep));
					held.delete(0, held.length() - keep);
					return;
				}
			}
			case ANSWER -> {
				if (!held.isEmpty()) {
					sink.text(held.toString());
					held.setLength(0);
				}
				return;
			}
			}
		}
	}

	/** How many characters at the end could begin {@code </think>}. */
	private static int partialTag(StringBuilder s) {
		for (int n = Math.min(CLOSE.length() - 1, s.length()); n > 0; n--) {
			if (CLOSE.startsWith(s.substring(s.length() - n))) {
				return n;
			}
		}
		return 0;
	}

	private void emitReasoning(String text) {
		if (!text.isEmpty()) {
			sink.reasoning(text);
		}
	}

	@Override
	public void reasoning(String fragment) {
		sink.reasoning(fragment);
	}

	@Override
	public void toolCall(ToolCallDelta delta) {
		flush();
		sink.toolCall(delta);
	}

	@Override
	public void logprobs(java.util.List<ai.local.runtime.api.TokenLogprob> tokens) {
		sink.logprobs(tokens);
	}

	@Override
	public void note(String name, String value) {
		sink.note(name, value);
	}

	@Override
	public void finish(FinishReason reason, Usage usage) {
		flush();
		sink.finish(reason, usage);
	}

	private void flush() {
		if (held.isEmpty()) {
			return;
		}
		if (state == State.THINKING) {
			emitReasoning(held.toString());
		} else {
			sink.text(held.toString());
		}
		held.setLength(0);
	}

	@Override
	public boolean cancelled() {
		return sink.cancelled();
	}

	@Override
	public void onCancel(Runnable action) {
		sink.onCancel(action);
	}
}
