"""Renders chat templates as Hugging Face transformers does (its Jinja environment, Python's Jinja2): the
reference the Java engine is compared with. Reads {"templates": {name: source}, "cases": [{"name", "variables"}],
"now": ISO time} on stdin; writes {template: {case: {"output": text} | {"error": message}}} on stdout."""
import json
import sys
from datetime import datetime

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

job = json.load(sys.stdin)
now = datetime.fromisoformat(job["now"])


class AssistantTracker(Extension):
    # transformers' {% generation %} block: renders its body (and records the span, not needed here)
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(fmt):
    return now.strftime(fmt)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = strftime_now

out = {}
for name, source in job["templates"].items():
    results = out[name] = {}
    try:
        template = env.from_string(source)
    except Exception as e:  # noqa: BLE001 - any failure is a result to compare
        for case in job["cases"]:
            results[case["name"]] = {"error": f"{type(e).__name__}: {e}"}
        continue
    for case in job["cases"]:
        try:
            results[case["name"]] = {"output": template.render(**case["variables"])}
        except Exception as e:  # noqa: BLE001
            results[case["name"]] = {"error": f"{type(e).__name__}: {e}"}
json.dump(out, sys.stdout, ensure_ascii=False)
