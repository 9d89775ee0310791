package ai.local.runtime.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way streamed pieces become a whole {@link ChatResult}: text, reasoning, tool calls (started by index,
 * their arguments appended), notes, the finish and its usage. A {@link ChatSink} for providers that answer a
 * whole request by streaming into it, and the record every streaming writer keeps of what it sent. Pieces after
 * the finish are ignored; a tool-call fragment for a call that was never started is an upstream error.
 *
 * @since 1.7
 */
public class ResultCollector implements ChatSink {
	private final StringBuilder text = new StringBuilder();
	private final StringBuilder reasoning = new StringBuilder();
	private final List<ToolCall> calls = new ArrayList<>();
	private final List<StringBuilder> arguments = new ArrayList<>();
	private final Map<String, String> notes = new LinkedHashMap<>();
	private final List<TokenLogprob> logprobs = new ArrayList<>();
	private final List<TokenLogprob> promptLogprobs = new ArrayList<>();
	private FinishReason finishReason;
	private Usage usage;

	@Override
	public void text(String fragment) {
		if (fragment != null && finishReason == null) {
			text.append(fragment);
		}
	}

	@Override
	public void reasoning(String fragment) {
		if (fragment != null && finishReason == null) {
			reasoning.append(fragment);
		}
	}

	@Override
	public void toolCall(ToolCallDelta delta) {
		if (finishReason != null) {
			return;
		}
		if (delta.isStart()) {
			if (delta.index() != calls.size()) {
				throw ApiException.upstream("tool call " + delta.index() + " started out of order", null);
			}
			calls.add(new ToolCall(delta.id(), delta.name(), ""));
			arguments.add(new StringBuilder());
		} else if (delta.index() < 0 || delta.index() >= calls.size()) {
			throw ApiException.upstream("arguments for tool call " + delta.index() + " before its start", null);
		}
		if (delta.arguments() != null) {
			arguments.get(delta.index()).append(delta.arguments());
		}
	}

	@Override
	public void logprobs(List<TokenLogprob> tokens) {
		if (finishReason == null) {
			logprobs.addAll(tokens);
		}
	}

	@Override
	public void promptLogprobs(List<TokenLogprob> tokens) {
		if (finishReason == null && promptLogprobs.isEmpty()) {
			promptLogprobs.addAll(tokens);
		}
	}

	@Override
	public void note(String name, String value) {
		notes.put(name, value);
	}

	/** Records the end; only the first finish counts. */
	@Override
	public void finish(FinishReason reason, Usage u) {
		if (finishReason == null) {
			finishReason = reason;
			usage = u == null ? Usage.NONE : u;
		}
	}

	/** Nobody to lose: a collector is read when the provider returns. */
	@Override
	public boolean cancelled() {
		return false;
	}

	@Override
	public void onCancel(Runnable action) {
	}

	public boolean finished() {
		return finishReason != null;
	}

	/** The usage given with the finish, or null before it. */
	public Usage usage() {
		return usage;
	}

	public String textSoFar() {
		return text.toString();
	}

	/** The number of tool calls started so far. */
	public int calls() {
		return calls.size();
	}

	/** Tool call {@code index} as started (id and name), without its arguments. */
	public ToolCall call(int index) {
		return calls.get(index);
	}

	public String argumentsSoFar(int index) {
		return arguments.get(index).toString();
	}

	/** The completion as collected so far; the finish reason is null until {@link #finish}. */
	public ChatResult result() {
		List<ToolCall> whole = new ArrayList<>();
		for (int i = 0; i < calls.size(); i++) {
			whole.add(new ToolCall(calls.get(i).id(), calls.get(i).name(), arguments.get(i).toString()));
		}
		return new ChatResult(ChatMessage.assistant(text.toString(), whole), finishReason,
				usage == null ? Usage.NONE : usage, notes, reasoning.toString(), logprobs, promptLogprobs);
	}
}
