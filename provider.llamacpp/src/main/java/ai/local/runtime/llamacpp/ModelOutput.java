package ai.local.runtime.llamacpp;

import java.util.ArrayList;
import java.util.List;

import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.ToolCallDelta;

/**
 * A model's raw output, in its own syntax, split while it streams into what the client sees: reasoning
 * ({@code <think>…</think>}, harmony's analysis channel), answer text, and tool calls as OpenAI deltas (index,
 * id and name first, then argument fragments). Text that might be the start of a tag is held back until it is
 * clear that it is not; at the end, an unclosed reasoning block is still reasoning.
 */
final class ModelOutput {
	private enum Mode {
		TEXT, REASONING, CALLS, AFTER_CALLS, HARMONY_HEADER, HARMONY_BODY
	}

	private final ChatSink sink;
	private final ToolSyntax syntax;
	private final ToolCallScanner scanner;
	private final String[] think;
	private final boolean parallel;
	private final StringBuilder out = new StringBuilder();
	private final List<String> ids = new ArrayList<>();
	private final List<Integer> argumentsSent = new ArrayList<>();
	private Mode mode;
	private int pos;
	private int sectionStart;
	private boolean trimLeading;
	private boolean callsComplete = true;
	private boolean textEmitted;
	// harmony: the body's channel and, for a call, the function
	private String channel;
	private String function;
	private final StringBuilder harmonyArguments = new StringBuilder();

	/**
	 * @param syntax the tool syntax to look for, or null when the request offers no tools
	 * @param think the reasoning tags, or null
	 * @param promptOpensThink the prompt ends inside an opened reasoning block
	 */
	ModelOutput(ChatSink sink, ToolSyntax syntax, ToolCallScanner scanner, String[] think, boolean promptOpensThink,
			boolean harmony, boolean parallel) {
		this.sink = sink;
		this.syntax = syntax;
		this.scanner = scanner;
		this.think = think;
		this.parallel = parallel;
		this.mode = harmony ? Mode.HARMONY_HEADER : promptOpensThink && think != null ? Mode.REASONING : Mode.TEXT;
	}

	void accept(String piece) {
		out.append(piece);
		process(false);
	}

	void end() {
		process(true);
	}

	int calls() {
		return ids.size();
	}

	/** False when the output ended inside a tool call (its arguments may be cut). */
	boolean callsComplete() {
		return callsComplete;
	}

	private void process(boolean end) {
		while (true) {
			Mode before = mode;
			int at = pos;
			switch (mode) {
			case TEXT -> text(end);
			case REASONING -> reasoning(end);
			case CALLS -> calls(end);
			case AFTER_CALLS -> {
				// what a model writes after its calls is not for the client (llama.cpp drops it too)
				pos = out.length();
			}
			case HARMONY_HEADER -> harmonyHeader(end);
			case HARMONY_BODY -> harmonyBody(end);
			default -> {
			}
			}
			if (mode == before && pos == at) {
				return;
			}
		}
	}

	private void text(boolean end) {
		if (think != null && blankBefore(pos)) {
			int open = ToolCallScanner.marker(out, skipWs(pos), think[0]);
			if (open >= 0) {
				pos = open;
				mode = Mode.REASONING;
				return;
			}
			if (open == -1 && !end) {
				return; // might be the opening tag
			}
		}
		if (syntax == ToolSyntax.LLAMA3 && !textEmitted) {
			// Llama 3's JSON call is the whole answer: only at the start
			int first = skipWs(0);
			int m = ToolCallScanner.marker(out, first, "{\"");
			if (m >= 0) {
				sectionStart = first;
				mode = Mode.CALLS;
				return;
			}
			if (m == -1 && !end) {
				return;
			}
		}
		int cut = out.length();
		int opener = -1;
		if (syntax != null) {
			for (String o : syntax.openers()) {
				int i = out.indexOf(o, pos);
				if (i >= 0 && (opener < 0 || i < opener)) {
					opener = i;
				}
			}
			if (opener >= 0) {
				cut = opener;
			} else if (!end) {
				cut = out.length() - heldBack(syntax.openers());
			}
		}
		if (!end && think != null && opener < 0) {
			cut = Math.min(cut, out.length() - partial(think[1]));
		}
		emitText(out.substring(pos, Math.max(pos, cut)));
		pos = Math.max(pos, cut);
		if (opener >= 0) {
			sectionStart = opener;
			mode = Mode.CALLS;
		}
	}

	private void reasoning(boolean end) {
		int close = out.indexOf(think[1], pos);
		if (close >= 0) {
			emitReasoning(out.substring(pos, close));
			pos = close + think[1].length();
			trimLeading = true;
			mode = Mode.TEXT;
			return;
		}
		int cut = end ? out.length() : out.length() - partial(think[1]);
		if (cut > pos) {
			emitReasoning(out.substring(pos, cut));
			pos = cut;
		}
	}

	private void calls(boolean end) {
		ToolCallScanner.Scan scan = scanner.scan(out, sectionStart, end);
		List<ToolCallScanner.Call> calls = parallel ? scan.calls() : scan.calls().subList(0, Math.min(1, scan.calls().size()));
		for (int i = 0; i < calls.size(); i++) {
			ToolCallScanner.Call c = calls.get(i);
			if (i == ids.size() && c.name() != null) {
				ids.add(ToolCallReader.newId());
				argumentsSent.add(0);
				sink.toolCall(ToolCallDelta.start(i, ids.get(i), c.name()));
			}
			if (i < ids.size() && c.arguments().length() > argumentsSent.get(i)) {
				sink.toolCall(ToolCallDelta.arguments(i, c.arguments().substring(argumentsSent.get(i))));
				argumentsSent.set(i, c.arguments().length());
			}
		}
		if (scan.end() >= 0) {
			callsComplete = calls.stream().allMatch(ToolCallScanner.Call::complete) && !calls.isEmpty();
			if (calls.isEmpty()) {
				// an opener that led to no call: it was text after all
				emitText(out.substring(sectionStart, scan.end()));
				callsComplete = true;
			}
			pos = scan.end();
			mode = calls.isEmpty() ? Mode.TEXT : Mode.AFTER_CALLS;
		} else {
			pos = out.length();
			if (end) {
				callsComplete = false;
			}
		}
	}

	private static final String MESSAGE = "<|message|>";
	private static final List<String> BODY_ENDS = List.of("<|end|>", "<|call|>", "<|return|>", "<|start|>");

	/** Harmony: {@code [<|start|>assistant][ to=functions.NAME]<|channel|>CHANNEL[ ...]<|message|>} */
	private void harmonyHeader(boolean end) {
		int message = out.indexOf(MESSAGE, pos);
		if (message < 0) {
			if (end) {
				// not harmony after all: plain text
				emitText(out.substring(pos));
				pos = out.length();
			}
			return;
		}
		String header = out.substring(pos, message);
		int ch = header.indexOf("<|channel|>");
		String rest = ch >= 0 ? header.substring(ch + 11).strip() : "";
		channel = rest.split("[\\s<]", 2)[0];
		int to = header.indexOf("to=functions.");
		function = to >= 0 ? header.substring(to + 13).split("[\\s<]", 2)[0] : null;
		if (function != null && syntax != null && (parallel || ids.isEmpty())) {
			int index = ids.size();
			ids.add(ToolCallReader.newId());
			argumentsSent.add(0);
			sink.toolCall(ToolCallDelta.start(index, ids.get(index), function));
			harmonyArguments.setLength(0);
			callsComplete = false;
		} else {
			function = function != null ? "" : null; // a call that is not wanted: dropped
		}
		pos = message + MESSAGE.length();
		mode = Mode.HARMONY_BODY;
	}

	private void harmonyBody(boolean end) {
		int stop = -1;
		String marker = null;
		for (String m : BODY_ENDS) {
			int i = out.indexOf(m, pos);
			if (i >= 0 && (stop < 0 || i < stop)) {
				stop = i;
				marker = m;
			}
		}
		int cut = stop >= 0 ? stop : end ? out.length() : out.length() - heldBack(BODY_ENDS);
		if (cut > pos) {
			String body = out.substring(pos, cut);
			if (function != null) {
				if (!function.isEmpty()) {
					int index = ids.size() - 1;
					sink.toolCall(ToolCallDelta.arguments(index, body));
					harmonyArguments.append(body);
				}
			} else if ("analysis".equals(channel)) {
				emitReasoning(body);
			} else {
				emitText(body);
			}
			pos = cut;
		}
		if (end && stop < 0 && function != null && !function.isEmpty()) {
			// <|call|> ends the generation (it is an end-of-generation token): whole arguments are a whole call
			callsComplete = !harmonyArguments.toString().isBlank() && Json.parses(harmonyArguments);
		}
		if (stop >= 0) {
			if (function != null && !function.isEmpty()) {
				callsComplete = true;
			}
			pos = stop + (marker.equals("<|start|>") ? 0 : marker.length());
			mode = Mode.HARMONY_HEADER;
		}
	}

	private void emitText(String s) {
		if (trimLeading) {
			s = s.stripLeading();
			if (s.isEmpty()) {
				return;
			}
			trimLeading = false;
		}
		if (!s.isEmpty()) {
			sink.text(s);
			textEmitted = true;
		}
	}

	private void emitReasoning(String s) {
		if (!s.isEmpty()) {
			sink.reasoning(s);
		}
	}

	/** Whether the output before {@code end} is whitespace only (without copying it: this runs per piece). */
	private boolean blankBefore(int end) {
		for (int i = 0; i < end; i++) {
			if (!Character.isWhitespace(out.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private int skipWs(int from) {
		int i = from;
		while (i < out.length() && Character.isWhitespace(out.charAt(i))) {
			i++;
		}
		return i;
	}

	/** How many characters at the end could begin one of the markers. */
	private int heldBack(List<String> markers) {
		int n = 0;
		for (String m : markers) {
			n = Math.max(n, partial(m));
		}
		return n;
	}

	private int partial(String marker) {
		for (int k = Math.min(marker.length() - 1, out.length() - pos); k > 0; k--) {
			boolean match = true;
			for (int j = 0; j < k && match; j++) {
				match = out.charAt(out.length() - k + j) == marker.charAt(j);
			}
			if (match) {
				return k;
			}
		}
		return 0;
	}
}
