/**
 * Hugging Face chat templates: {@link ai.local.runtime.chat.template.ChatTemplate} compiles a template's Jinja
 * source once and renders it with the variables transformers passes ({@code messages}, {@code tools},
 * {@code add_generation_prompt}, {@code bos_token}, ...), as Python's Jinja2 would.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package ai.local.runtime.chat.template;
