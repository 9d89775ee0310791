package ai.local.runtime.chat.template.jinja;

import java.util.Iterator;
import java.util.List;

/**
 * What {@code map}, {@code select}, {@code selectattr} ... return in Jinja2: a generator, which can be
 * iterated, joined or turned into a list, but has no length and is not JSON.
 */
final class Generator implements Iterable<Object> {
	private final List<Object> items;

	Generator(List<Object> items) {
		this.items = items;
	}

	@Override
	public Iterator<Object> iterator() {
		return items.iterator();
	}

	@Override
	public String toString() {
		return "<generator object>";
	}
}
