package ai.local.runtime.chat.template.jinja;

import java.util.List;

import ai.local.runtime.chat.template.TemplateException;

/** The {@code loop} variable of a for loop. */
final class Loop {
	final List<Object> items;
	final int depth0;
	final Callable recurse;
	int index0;
	private Object lastChanged = Py.MISSING;

	Loop(List<Object> items, int depth0, Callable recurse) {
		this.items = items;
		this.depth0 = depth0;
		this.recurse = recurse;
	}

	Object attribute(String name) {
		int n = items.size();
		return switch (name) {
		case "index" -> (long) index0 + 1;
		case "index0" -> (long) index0;
		case "revindex" -> (long) (n - index0);
		case "revindex0" -> (long) (n - index0 - 1);
		case "first" -> index0 == 0;
		case "last" -> index0 == n - 1;
		case "length" -> (long) n;
		case "depth" -> (long) depth0 + 1;
		case "depth0" -> (long) depth0;
		case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.of("there is no previous item");
		case "nextitem" -> index0 + 1 < n ? items.get(index0 + 1) : Undefined.of("there is no next item");
		case "cycle" -> (Callable) (args, kw) -> {
			if (args.isEmpty()) {
				throw new TemplateException("no items for cycling given");
			}
			return args.get(index0 % args.size());
		};
		case "changed" -> (Callable) (args, kw) -> {
			Object value = args.size() == 1 ? args.get(0) : new Tuple(args);
			boolean changed = lastChanged == Py.MISSING || !Py.eq(lastChanged, value);
			lastChanged = value;
			return changed;
		};
		default -> Py.MISSING;
		};
	}
}
