package ai.local.runtime.api;

import java.util.List;

/**
 * Scores documents by their relevance to a query ({@code /v1/rerank}).
 *
 * @param model the provider-local model id
 * @param query the query
 * @param documents the documents, as text, in the client's order
 * @param callerKey the API key the client presented, or null (see {@link ChatRequest#callerKey()})
 * @since 1.10
 */
public record RerankRequest(String model, String query, List<String> documents, String callerKey) {

	public RerankRequest {
		documents = List.copyOf(documents);
	}

	public RerankRequest withModel(String newModel) {
		return new RerankRequest(newModel, query, documents, callerKey);
	}

	public RerankRequest withCallerKey(String key) {
		return new RerankRequest(model, query, documents, key);
	}

	@Override
	public String toString() {
		return "RerankRequest[model=" + model + ", documents=" + documents.size() + ", callerKey="
				+ (callerKey == null ? "none" : "***") + "]";
	}
}
