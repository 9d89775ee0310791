package ai.local.runtime.testing.gguf;

/** A ChatML jinja template with tool definitions, assistant tool calls and tool results (Qwen 2.5 style). */
final class ChatMlTemplate {

	static final String TEMPLATE = """
			{%- if tools %}<|im_start|>system
			{% if messages[0].role == 'system' %}{{ messages[0].content }}

			{% endif %}# Tools

			You may call one or more functions to assist with the user query.

			<tools>
			{%- for tool in tools %}
			{{ tool | tojson }}
			{%- endfor %}
			</tools><|im_end|>
			{% elif messages[0].role == 'system' %}<|im_start|>system
			{{ messages[0].content }}<|im_end|>
			{% endif %}
			{%- for message in messages %}
			{%- if message.role == 'system' %}
			{%- elif message.role == 'tool' %}<|im_start|>tool
			{{ message.content }}<|im_end|>
			{% elif message.role == 'assistant' and message.tool_calls %}<|im_start|>assistant
			{% if message.content %}{{ message.content }}
			{% endif %}{% for tc in message.tool_calls %}<tool_call>
			{"name": "{{ tc.function.name }}", "arguments": {{ tc.function.arguments | tojson }}}
			</tool_call>{% endfor %}<|im_end|>
			{% else %}<|im_start|>{{ message.role }}
			{{ message.content }}<|im_end|>
			{% endif %}
			{%- endfor %}
			{%- if add_generation_prompt %}<|im_start|>assistant
			{% endif %}""";

	private ChatMlTemplate() {
	}
}
