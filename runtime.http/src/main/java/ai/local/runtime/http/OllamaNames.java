package ai.local.runtime.http;

/**
 * Ollama's names: a client that knows Ollama adds {@code :latest} to a name without a tag, so {@code echo:latest}
 * is {@code echo} when only the latter is listed.
 */
final class OllamaNames {
	private static final String LATEST = ":latest";
	private final ProviderRegistry registry;

	OllamaNames(ProviderRegistry registry) {
		this.registry = registry;
	}

	/** The model id a name stands for. */
	String resolve(String name) {
		if (!name.endsWith(LATEST)) {
			return name;
		}
		ListedModel m = listed(name);
		return m == null ? name : m.id();
	}

	/** The listed model a name stands for, or null when none is listed under it (nor under it without :latest). */
	ListedModel listed(String name) {
		String bare = name.endsWith(LATEST) ? name.substring(0, name.length() - LATEST.length()) : null;
		ListedModel bareListed = null;
		for (ListedModel m : registry.listModels()) {
			if (m.id().equals(name)) {
				return m;
			}
			if (m.id().equals(bare)) {
				bareListed = m;
			}
		}
		return bareListed;
	}
}
