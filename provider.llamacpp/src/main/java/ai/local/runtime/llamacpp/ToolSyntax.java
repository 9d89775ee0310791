package ai.local.runtime.llamacpp;

import java.util.List;

/**
 * How a model writes tool calls, recognised from its chat template as llama.cpp's common_chat does; each value
 * knows the text that opens its tool-call section. {@link #GENERIC} is for templates without tool support: the
 * runtime's own JSON format, constrained by a grammar (see {@link OutputFormat}).
 */
enum ToolSyntax {
	/** Hermes 2 Pro, Qwen 2.5, Qwen 3, QwQ: {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>} */
	HERMES("<tool_call>"),
	/** Qwen3-Coder, Qwen 3.5, Nemotron 3: {@code <tool_call><function=NAME><parameter=P>V</parameter></function></tool_call>} */
	QWEN3_CODER("<tool_call>"),
	/** GLM 4.5 and later: {@code <tool_call>NAME<arg_key>K</arg_key><arg_value>V</arg_value></tool_call>} */
	GLM("<tool_call>"),
	/** Llama 3.1 – 3.3: {@code {"name": ..., "parameters": {...}}} as the whole answer, or after {@code <|python_tag|>} */
	LLAMA3("<|python_tag|>"),
	/** Mistral: {@code [TOOL_CALLS][{"name": ..., "arguments": {...}}]} or {@code [TOOL_CALLS]NAME[ARGS]{...}} */
	MISTRAL("[TOOL_CALLS]"),
	/** DeepSeek R1 and V3: {@code <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>...<｜tool▁sep｜>NAME ... <｜tool▁calls▁end｜>} */
	DEEPSEEK("<｜tool▁calls▁begin｜>", "<｜tool▁call▁begin｜>"),
	/** IBM Granite: {@code <|tool_call|>[{"name": ..., "arguments": {...}}]} */
	GRANITE("<|tool_call|>"),
	/** Cohere Command R7B: {@code <|START_ACTION|>[{"tool_name": ..., "parameters": {...}}]<|END_ACTION|>} */
	COMMAND_R("<|START_ACTION|>"),
	/** gpt-oss: harmony channels, a call is {@code <|channel|>commentary to=functions.NAME ... <|message|>{...}<|call|>} */
	HARMONY(),
	GENERIC();

	private final List<String> openers;

	ToolSyntax(String... openers) {
		this.openers = List.of(openers);
	}

	/** Texts that open this syntax's tool-call section. */
	List<String> openers() {
		return openers;
	}

	boolean nativeFormat() {
		return this != GENERIC;
	}

	static ToolSyntax of(String template) {
		if (template == null || template.isEmpty()) {
			return GENERIC;
		}
		if (template.contains("<|channel|>")) {
			return HARMONY;
		}
		if (template.contains("<function=") && template.contains("<parameter=")) {
			return QWEN3_CODER;
		}
		if (template.contains("<arg_key>")) {
			return GLM;
		}
		if (template.contains("<｜tool▁calls▁begin｜>")) {
			return DEEPSEEK;
		}
		if (template.contains("[TOOL_CALLS]")) {
			return MISTRAL;
		}
		if (template.contains("<|START_ACTION|>")) {
			return COMMAND_R;
		}
		if (template.contains("<|tool_call|>")) {
			return GRANITE;
		}
		if (template.contains("<tool_call>")) {
			return HERMES;
		}
		if (template.contains("<|python_tag|>") || template.contains("ipython") && template.contains("<|eot_id|>")
				&& template.contains("tools")) {
			return LLAMA3;
		}
		return GENERIC;
	}

	/** The tags around a model's reasoning, from its template; null when it has none (or uses channels). */
	static String[] thinkTags(String template) {
		if (template == null) {
			return null;
		}
		if (template.contains("<think>") || template.contains("</think>")) {
			return new String[] { "<think>", "</think>" };
		}
		if (template.contains("<|START_THINKING|>")) {
			return new String[] { "<|START_THINKING|>", "<|END_THINKING|>" };
		}
		return null;
	}
}
