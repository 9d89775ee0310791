package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.chat.template.ChatTemplate;
import ai.local.runtime.chat.template.TemplateException;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.ModelInfo;

/**
 * A loaded model's chat template, rendered in Java as transformers renders it (variables {@code messages},
 * {@code tools}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, the request's
 * {@code chat_template_kwargs} and {@code reasoning_effort}), with the tool-call syntax and reasoning tags its
 * output uses. {@code jinja} is null when the file has no template, or one this engine cannot parse (then
 * llama.cpp's built-in formats render the prompt, as before). {@code toolUse}: the file's second template for
 * requests with tools ({@code tokenizer.chat_template.tool_use}, as Command R and Hermes 2 Pro have), or null.
 */
record ModelTemplate(String source, ChatTemplate jinja, TemplateRules rules, ToolSyntax syntax, String[] think,
		String bos, String eos, Integer trigger, ModelTemplate toolUse) {
	private static final Logger LOG = LoggerFactory.getLogger(ModelTemplate.class);

	static ModelTemplate of(String id, LlamaModelHandle model, String toolUseSource) {
		ModelTemplate toolUse = toolUseSource == null || toolUseSource.isBlank() ? null
				: of(id, model, toolUseSource, null);
		return of(id, model, model.info().chatTemplate(), toolUse != null && toolUse.jinja() != null ? toolUse : null);
	}

	/** The template for this request: the tool-use one where the request offers tools and the file has one. */
	ModelTemplate pick(ChatRequest request) {
		return toolUse != null && OutputFormat.offersTools(request) ? toolUse : this;
	}

	private static ModelTemplate of(String id, LlamaModelHandle model, String source, ModelTemplate toolUse) {
		ModelInfo info = model.info();
		ChatTemplate jinja = null;
		if (source != null && !source.isBlank()) {
			try {
				jinja = ChatTemplate.compile(source);
			} catch (TemplateException e) {
				LOG.warn("model '{}': its chat template cannot be parsed ({}); llama.cpp's built-in formats render its prompts",
						id, e.getMessage());
			}
		}
		ToolSyntax syntax = jinja == null ? ToolSyntax.GENERIC : ToolSyntax.of(source);
		return new ModelTemplate(source, jinja, TemplateRules.of(source), syntax,
				jinja == null ? null : ToolSyntax.thinkTags(source), info.bosToken(), info.eosToken(), trigger(model, syntax),
				toolUse);
	}

	/**
	 * The one token that opens the syntax's calls (Qwen's {@code <tool_call>}), which can switch a lazy grammar on;
	 * null where the opener is several tokens (or the syntax's calls do not start with it).
	 */
	private static Integer trigger(LlamaModelHandle model, ToolSyntax syntax) {
		if (syntax == ToolSyntax.LLAMA3 || syntax == ToolSyntax.HARMONY || syntax == ToolSyntax.GENERIC) {
			return null; // the grammars of these syntaxes start with their opener; Llama 3's and harmony's do not
		}
		String opener = syntax.openers().get(0);
		int[] ids = model.tokenize(opener, true);
		int last = ids.length - 1;
		boolean single = ids.length == 1 || ids.length == 2 && model.detokenize(new int[] { ids[0] }).equals(model.info().bosToken());
		return last >= 0 && single && model.detokenize(new int[] { ids[last] }).equals(opener) ? ids[last] : null;
	}

	/**
	 * The prompt text. An assistant turn that only calls tools has content null, as OpenAI clients send it and
	 * transformers passes it, and a request without tools has {@code tools} none; a template that cannot take that
	 * (Qwen 3 tests {@code '</think>' in content}, Command R's tool-use template iterates the tools) is rendered
	 * again with "" and an empty list there. A conversation the template still refuses (a system message it has no
	 * place for, two user turns in a row ...) is reshaped by {@link TemplateRules} and tried once more; refused
	 * again, it is a 400 with the template's own message.
	 *
	 * @param withTools whether the request's tools go to the template (its own tool format)
	 */
	String render(List<ChatMessage> messages, ChatRequest request, boolean withTools) {
		TemplateException first;
		try {
			return jinja.render(variables(messages, request, withTools, false));
		} catch (TemplateException e) {
			first = e;
		}
		try {
			return jinja.render(variables(messages, request, withTools, true));
		} catch (TemplateException again) {
			// reshaped next
		}
		List<ChatMessage> reshaped = new TemplateRules(true, rules.toolRole(), rules.systemRole()).apply(messages);
		if (!reshaped.equals(messages)) {
			try {
				return jinja.render(variables(reshaped, request, withTools, true));
			} catch (TemplateException again) {
				// the first message says what the client sent wrong
			}
		}
		throw ApiException.invalidRequest("The model's chat template refuses this conversation: " + first.getMessage(),
				"messages");
	}

	/** @param lenient "" for the content of tool-call-only turns, an empty list for no tools */
	private Map<String, Object> variables(List<ChatMessage> messages, ChatRequest request, boolean withTools,
			boolean lenient) {
		Map<String, Object> vars = new HashMap<>();
		Map<String, String> toolNames = new HashMap<>();
		List<Object> list = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			list.add(message(messages.get(i), i, toolNames, lenient));
		}
		vars.put("messages", list);
		vars.put("tools", withTools && !request.tools().isEmpty() ? tools(request.tools()) : lenient ? List.of() : null);
		vars.put("add_generation_prompt", true);
		vars.put("bos_token", bos);
		vars.put("eos_token", eos);
		// the one reasoning switch of every dialect: Qwen3-style templates read enable_thinking, gpt-oss reads
		// reasoning_effort (low, medium, high: it has no "none", so not thinking is its lowest effort)
		String effort = Reasoning.effort(request);
		if (effort != null) {
			vars.put("enable_thinking", !Reasoning.NONE.equals(effort));
			vars.put("reasoning_effort", switch (effort) {
			case "none", "minimal" -> "low";
			default -> effort;
			});
		}
		Object kwargs = request.extra().get("chat_template_kwargs");
		if (kwargs instanceof Map<?, ?> m) {
			m.forEach((k, v) -> vars.put(String.valueOf(k), v));
		} else if (kwargs != null) {
			throw ApiException.invalidRequest("chat_template_kwargs must be an object", "chat_template_kwargs");
		}
		return vars;
	}

	/** A message as templates read it: OpenAI's shape, tool-call arguments as objects. */
	private static Map<String, Object> message(ChatMessage m, int index, Map<String, String> toolNames,
			boolean emptyContent) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("role", m.role());
		boolean calls = !m.toolCalls().isEmpty();
		out.put("content", calls && m.text().isEmpty() && !emptyContent ? null : m.text());
		if (m.reasoning() != null) {
			// templates that show the latest turns' reasoning (Qwen 3, DeepSeek V3.1 ...) read it from here
			out.put("reasoning_content", m.reasoning());
		}
		if (calls) {
			List<Object> list = new ArrayList<>();
			for (int j = 0; j < m.toolCalls().size(); j++) {
				ToolCall c = m.toolCalls().get(j);
				toolNames.put(c.id(), c.name());
				Map<String, Object> fn = new LinkedHashMap<>();
				fn.put("name", c.name());
				fn.put("arguments", arguments(c.arguments(), "messages[" + index + "].tool_calls[" + j + "].function.arguments"));
				Map<String, Object> call = new LinkedHashMap<>();
				call.put("id", c.id());
				call.put("type", "function");
				call.put("function", fn);
				list.add(call);
			}
			out.put("tool_calls", list);
		}
		if (m.role().equals(ChatMessage.TOOL)) {
			out.put("tool_call_id", m.toolCallId());
			String name = m.name() != null ? m.name() : toolNames.get(m.toolCallId());
			if (name != null) {
				out.put("name", name);
			}
		} else if (m.name() != null) {
			out.put("name", m.name());
		}
		return out;
	}

	private static Object arguments(String json, String param) {
		if (json == null || json.isBlank()) {
			return Map.of();
		}
		try {
			return Json.MAPPER.readValue(json, Object.class);
		} catch (IOException e) {
			throw ApiException.invalidRequest(param + " is not valid JSON", param);
		}
	}

	private static List<Object> tools(List<ToolDefinition> tools) {
		List<Object> out = new ArrayList<>();
		for (ToolDefinition t : tools) {
			Map<String, Object> fn = new LinkedHashMap<>();
			fn.put("name", t.name());
			if (t.description() != null && !t.description().isEmpty()) {
				fn.put("description", t.description());
			}
			fn.put("parameters", Json.MAPPER.convertValue(OutputFormat.parameters(t), Object.class));
			Map<String, Object> tool = new LinkedHashMap<>();
			tool.put("type", "function");
			tool.put("function", fn);
			out.add(tool);
		}
		return out;
	}
}
