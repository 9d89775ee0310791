package ai.local.runtime.chat.template;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Map;

import ai.local.runtime.chat.template.jinja.CompiledTemplate;

/**
 * A Hugging Face chat template (the Jinja source in a GGUF's {@code tokenizer.chat_template} or a model's
 * {@code tokenizer_config.json}), compiled once and rendered as transformers renders it: trim_blocks,
 * lstrip_blocks, loop controls, {@code tojson} without ASCII escaping, {@code raise_exception},
 * {@code strftime_now}, and lists and dicts that the template cannot change. A template comes from a model file,
 * so a render is bounded: at most 20 million loop iterations and macro calls, no string, list or output beyond
 * 16 Mi characters or items; past that it fails with a {@link TemplateException}.
 */
public final class ChatTemplate {
	private final String source;
	private final CompiledTemplate compiled;

	private ChatTemplate(String source, CompiledTemplate compiled) {
		this.source = source;
		this.compiled = compiled;
	}

	/** @throws TemplateException when the source is not a valid template */
	public static ChatTemplate compile(String source) {
		return new ChatTemplate(source, CompiledTemplate.compile(source));
	}

	public String source() {
		return source;
	}

	/**
	 * @param variables {@code messages}, {@code tools}, {@code add_generation_prompt}, {@code bos_token} ... as
	 *        JSON-like Java values (maps, lists, strings, numbers, booleans, null)
	 * @throws TemplateException when the template raises or fails on these variables
	 */
	public String render(Map<String, ?> variables) {
		return render(variables, Clock.systemDefaultZone());
	}

	/** Renders with {@code strftime_now} reading {@code clock}. */
	public String render(Map<String, ?> variables, Clock clock) {
		return compiled.render(variables, () -> ZonedDateTime.now(clock));
	}
}
