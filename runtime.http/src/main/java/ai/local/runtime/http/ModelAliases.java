package ai.local.runtime.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Other names for local models ({@code model.aliases}): {@code NAME=MODEL} pairs, where NAME may end in or hold
 * {@code *} (any text), so that a client with names of its own (Claude Code's {@code claude-sonnet-4-5-...},
 * {@code claude-haiku-...}) reaches a local model. The first pair that matches wins; the client's name is still
 * the one its answers carry.
 */
final class ModelAliases {
	static final ModelAliases NONE = new ModelAliases(List.of());

	private record Alias(Pattern name, String target) {
	}

	private final List<Alias> aliases;

	private ModelAliases(List<Alias> aliases) {
		this.aliases = aliases;
	}

	/** The pairs as configured; a pair without '=' or with an empty side is a problem, reported and skipped. */
	static ModelAliases parse(List<String> pairs, List<String> problems) {
		List<Alias> out = new ArrayList<>();
		for (String pair : pairs) {
			int eq = pair.indexOf('=');
			String name = eq < 0 ? "" : pair.substring(0, eq).strip();
			String target = eq < 0 ? "" : pair.substring(eq + 1).strip();
			if (name.isEmpty() || target.isEmpty()) {
				problems.add("model alias '" + pair + "' is not NAME=MODEL; skipped");
				continue;
			}
			StringBuilder regex = new StringBuilder();
			for (String literal : name.split("\\*", -1)) {
				if (!regex.isEmpty()) {
					regex.append(".*");
				}
				regex.append(Pattern.quote(literal));
			}
			out.add(new Alias(Pattern.compile(regex.toString()), target));
		}
		return new ModelAliases(List.copyOf(out));
	}

	/** The model a name stands for; the name itself when no alias matches. */
	String apply(String model) {
		for (Alias a : aliases) {
			if (a.name().matcher(model).matches()) {
				return a.target();
			}
		}
		return model;
	}
}
