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

	String resolve(String name) {
		if (!name.endsWith(LATEST)) {
			return name;
		}
		String bare = name.substring(0, name.length() - LATEST.length());
		boolean bareListed = false;
		for (ListedModel m : registry.listModels()) {
			if (m.id().equals(name)) {
				return name;
			}
			bareListed |= m.id().equals(bare);
		}
		return bareListed ? bare : name;
	}
}
