package ai.local.runtime.chat.template.jinja;

import java.util.List;
import java.util.Map;

/** Anything a template can call: a global function, a macro, a bound string/list/dict method. */
@FunctionalInterface
interface Callable {
	Object call(List<Object> args, Map<String, Object> kwargs);
}
