package ai.local.runtime.chat.template.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja's {@code namespace(...)}: the one object a template may change from inside a loop. */
final class Namespace {
	final Map<String, Object> attributes = new LinkedHashMap<>();
}
