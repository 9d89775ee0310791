package ai.local.runtime.http;

import java.util.Map;
import java.util.TreeSet;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;

/**
 * Where a request goes: the provider, the model id local to it, and the id the client asked for (echoed
 * back in responses).
 */
record Route(ProviderEntry entry, String localModel, String requestedModel) {

	String providerName() {
		return entry.name();
	}

	/**
	 * When the text before the first ':' names a registered provider, that provider gets the rest; otherwise
	 * the whole id goes to the default provider, so {@code qwen2.5:latest} reaches a default Ollama.
	 */
	static Route resolve(Map<String, ProviderEntry> providers, String defaultProvider, String modelId) {
		int colon = modelId.indexOf(':');
		if (colon > 0) {
			ProviderEntry named = providers.get(modelId.substring(0, colon));
			if (named != null) {
				String local = modelId.substring(colon + 1);
				if (local.isEmpty()) {
					throw ApiException.invalidRequest("Model id '" + modelId + "' names provider '" + named.name()
							+ "' but no model", "model");
				}
				return new Route(named, local, modelId);
			}
		}
		ProviderEntry fallback = providers.get(defaultProvider);
		if (fallback == null) {
			String installed = providers.isEmpty() ? "none" : String.join(", ", new TreeSet<>(providers.keySet()));
			throw new ApiException(ErrorType.NOT_FOUND, "The model '" + modelId + "' does not exist: no installed "
					+ "provider is named by its prefix and the default provider '" + defaultProvider
					+ "' is not installed (installed providers: " + installed + ")", "model", "model_not_found", null,
					null);
		}
		return new Route(fallback, modelId, modelId);
	}
}
