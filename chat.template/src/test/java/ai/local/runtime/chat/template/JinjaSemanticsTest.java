package ai.local.runtime.chat.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The corners of Jinja and Python semantics that chat templates lean on, each snippet rendered here and by
 * Python's Jinja2 (the same reference as the conformance test): output identical, or both raise.
 */
class JinjaSemanticsTest {
	private static final ObjectMapper JSON = new ObjectMapper();

	private static final List<String> SNIPPETS = List.of(
			"{{ items[::-1] }}|{{ items[1:] }}|{{ items[:-1] }}|{{ 'hello'[::2] }}|{{ 'hello'[-3:] }}",
			"{% for m in messages %}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{% if loop.previtem is defined %}<{{ loop.previtem.role }}>{% endif %}{% if loop.nextitem is defined %}>{{ loop.nextitem.role }}{% endif %};{% endfor %}",
			"{% set ns = namespace(found=false, n=0) %}{% for m in messages %}{% if m.role == 'user' %}{% set ns.found = true %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.found }} {{ ns.n }}",
			"{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}{{ x }}",
			"{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a b c'.rsplit(' ', 1) }}",
			"{{ 'Hello'.startswith('He') }}{{ 'Hello'.endswith(('x', 'lo')) }}{{ 'abc'.upper() }}{{ 'ABC'.lower() }}{{ 'hello world'.title() }}{{ 'hELLO'.capitalize() }}",
			"{{ 'a-b-c'.replace('-', '+', 1) }}|{{ 'abc'.find('c') }}|{{ 'abcabc'.count('b') }}|{{ '-'.join(['a', 'b']) }}|{{ '{} and {name}'.format(1, name='x') }}",
			"{{ tools | tojson }}",
			"{{ tools | tojson(indent=2) }}",
			"{{ {'b': 1, 'a': [1.5, none, true, 'é\"\\n']} | tojson(sort_keys=true) }}",
			"{{ 'é😀\\x7f' | tojson(ensure_ascii=True) }}|{{ {'a': 'é'} | tojson(ensure_ascii=False) }}|{{ [1, 2] | tojson(separators=(',', ':')) }}",
			"{{ 1 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 1.0 }} {{ 1e20 }} {{ 0.1 + 0.2 }} {{ 1e-5 }} {{ 3 * 'ab' }}",
			"{{ none }} {{ true }} {{ [1, 'a', none, [true]] }} {{ {'a': 'b'} }} {{ (1,) }} {{ 'it\\'s' }} {{ [\"it's\"] }}",
			"{{ undefined_thing }}|{{ undefined_thing | default('d') }}|{{ '' | default('e', true) }}|{{ undefined_thing is defined }}|{{ undefined_thing | length }}",
			"{{ messages | selectattr('role', 'equalto', 'user') | list | length }}|{{ messages | rejectattr('role', 'equalto', 'user') | map(attribute='role') | join(',') }}|{{ messages | map(attribute='role') | list }}",
			"{{ {'b': 2, 'a': 1} | dictsort }}|{{ {'b': 2, 'a': 1} | items | list }}|{{ [3, 1, 2] | sort }}|{{ ['b', 'A', 'c'] | sort }}|{{ [1, 1, 2] | unique | list }}|{{ [1, 2] | first }}{{ [1, 2] | last }}",
			"{{ 'line1\\nline2\\n\\nline4' | indent(2) }}|{{ 'a\\nb' | indent(4, true) }}|{{ '  x  ' | trim }}|{{ 'ab' | upper }}|{{ 42 | string }}|{{ '42' | int + 1 }}|{{ 'x' | int }}|{{ 2.7 | int }}|{{ '1.5' | float }}",
			"{%- if true -%}\n  a\n{%- endif -%}\n  b  \n{% if true %}\n    c\n{% endif %}\n  {% if true %}d{% endif %}\n{# comment #}\ne {{ 'f' }}\n{{- 'g' -}}\n  h",
			"{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet('Cy', 'Yo') | upper }}",
			"{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }}{% if not loop.last %},{% endif %}{% endfor %}{% for x in [] %}x{% else %}empty{% endfor %}",
			"{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}|{{ range(1, 10, 3) | list }}",
			"{{ 'a' ~ 1 ~ none ~ true }}|{{ 'a' + 'b' }}|{{ [1] + [2] }}|{{ 'ab' in 'cabd' }}|{{ 'x' not in ['x'] }}|{{ 1 in {1: 2} }}|{{ 1 == 1.0 }}|{{ true == 1 }}",
			"{{ 1 if false }}|{{ 'y' if true else 'n' }}|{{ not none }}|{{ none or 'z' }}|{{ 0 and 1 }}|{{ [] or {} }}",
			"{{ x is string }}{{ x is mapping }}{{ x is iterable }}{{ x is sequence }}{{ x is number }}{{ x is none }}{{ 3 is odd }}{{ 4 is divisibleby 2 }}{{ 1 is integer }}{{ 1.0 is float }}{{ true is boolean }}{{ {} is mapping }}{{ [] is sequence }}",
			"{% set s %}  inner {{ 1 + 1 }}  {% endset %}[{{ s }}]{% set t | trim %}  trimmed  {% endset %}[{{ t }}]{% filter upper %}up{% endfilter %}",
			"{{ raise_exception('bad role: ' ~ messages[0].role) }}",
			"{{ messages.append(1) }}",
			"{{ {'a': 1}.update({'b': 2}) }}",
			"{{ 1 + none }}",
			"{{ undefined_thing.attr }}",
			"{% for %}",
			"{{ strftime_now('%Y-%m-%d %H:%M %b %B %a %A %d %I%p') }}",
			"{{ messages[0]['content'] }}|{{ messages[0].content }}|{{ messages[5] is defined }}|{{ messages[-1].role }}|{{ {'items': 1}['items'] }}|{{ messages[0].get('missing', 'dflt') }}",
			"{{ \"say \\\"hi\\\"\\t\" }}|{{ '\\u00e9\\x41' }}|{{ 'a' 'b' }}",
			"{{ 'x' | safe + '<b>' }}|{{ '<' + ('y' | safe) }}|{{ ('<' | e) ~ '>' }}",
			"{{ messages | map(attribute='role') | tojson }}",
			"{{ [1, 2, 3] | sum }} {{ [1, 5, 3] | max }} {{ [4, 2] | min }} {{ [1, 2, 3] | reverse | list }} {{ -3 | abs }} {{ 2.5 | round }} {{ 3.14159 | round(2) }}",
			"{%- for m in messages if m.role != 'system' %}{{ loop.index }}:{{ m.role }} {% endfor %}",
			"{{ 'A\\nB\\r\\nC'.splitlines() }} {{ 'abc'.lstrip('a') }} {{ 'abc'.rstrip('c') }} {{ ('a', 'b')[1] }} {{ 'ab'.isalpha() }}{{ '12'.isdigit() }}{{ ' '.isspace() }}",
			"{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set l = [1, 2, 3] %}{{ l[0:2] }}{{ l | length }}{{ l | join('-') }}",
			"{{ '%s is %d years' % ('Ann', 30) }}|{{ '%s!' % 'hi' }}",
			"{{ x.foo }}|{{ x['foo'] }}|{{ none.foo is defined }}",
			"  {%+ if true %}kept{% endif +%}\n  next\n{%- raw %} {{ not rendered }} {% endraw %}");

	@Test
	void snippetsRenderLikePythonJinja2() throws Exception {
		Map<String, Object> vars = new LinkedHashMap<>();
		vars.put("messages", List.of(Map.of("role", "system", "content", "sys"), Map.of("role", "user", "content", "hi"),
				Map.of("role", "assistant", "content", "hello"), Map.of("role", "user", "content", "bye")));
		vars.put("items", List.of(1, 2, 3, 4));
		vars.put("x", "text");
		vars.put("tools", List.of(Map.of("type", "function", "function", Map.of("name", "f", "parameters",
				Map.of("type", "object", "properties", Map.of())))));
		Map<String, String> templates = new LinkedHashMap<>();
		for (int i = 0; i < SNIPPETS.size(); i++) {
			templates.put("s" + i, SNIPPETS.get(i));
		}
		Instant now = Instant.parse("2026-07-04T15:15:30Z");
		JsonNode reference = Jinja2Reference.render(Map.of("templates", templates,
				"cases", List.of(Map.of("name", "c", "variables", vars)), "now", "2026-07-04T15:15:30+00:00"));
		List<String> failures = new ArrayList<>();
		for (var t : templates.entrySet()) {
			JsonNode ref = reference.path(t.getKey()).path("c");
			String java;
			try {
				java = ChatTemplate.compile(t.getValue()).render(vars, Clock.fixed(now, ZoneOffset.UTC));
			} catch (TemplateException e) {
				java = null;
				if (!ref.has("error")) {
					failures.add(t.getValue() + "\n   Java raises " + e.getMessage() + "\n   Jinja2 " + ref);
				}
				continue;
			}
			if (ref.has("error") || !java.equals(ref.path("output").asText())) {
				failures.add(t.getValue() + "\n   Java   " + JSON.writeValueAsString(java) + "\n   Jinja2 " + ref);
			}
		}
		assertTrue(failures.isEmpty(), failures.size() + " of " + SNIPPETS.size() + " differ:\n" + String.join("\n", failures));
	}

	@Test
	void raiseExceptionIsTheTemplatesOwnMessage() {
		TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate
				.compile("{{ raise_exception('Conversation roles must alternate') }}").render(Map.of()));
		assertEquals("Conversation roles must alternate", e.getMessage());
		assertTrue(e.raisedByTemplate());
		TemplateException syntax = assertThrows(TemplateException.class, () -> ChatTemplate.compile("{% if %}"));
		assertTrue(!syntax.raisedByTemplate() && syntax.getMessage().contains("line 1"), syntax.getMessage());
	}

	@Test
	void runawayRecursionIsAnErrorNotACrash() {
		TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate
				.compile("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").render(Map.of()));
		assertTrue(e.getMessage().contains("recurs"), e.getMessage());
	}

	@Test
	void aHostileTemplateIsRefusedNotOutOfMemoryOrHung() {
		for (String hostile : List.of("{{ 'x' * 10000000000 }}", "{% set ns = namespace(s='ab') %}{% for i in range(60) %}"
				+ "{% set ns.s = ns.s + ns.s %}{% endfor %}", "{% for i in range(100000) %}{% for j in range(100000) %}"
				+ "{% endfor %}{% endfor %}", "{{ range(10000000000) | length }}", "{{ '%999999999999s' % 'x' }}",
				"{{ '{:>999999999}'.format('x') }}", "{{ ('x' * 1000000).replace('x', 'yyyyyyyyyyyyyyyyyyyyyyyyy') }}",
				"{% for i in range(30000000) %}{{ 'abc' }}{% endfor %}")) {
			long start = System.nanoTime();
			assertThrows(TemplateException.class, () -> ChatTemplate.compile(hostile).render(Map.of()), hostile);
			assertTrue(System.nanoTime() - start < 30_000_000_000L, "refused in time: " + hostile);
		}
	}

}
