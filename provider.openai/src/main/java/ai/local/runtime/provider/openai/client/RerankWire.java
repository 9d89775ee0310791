package ai.local.runtime.provider.openai.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.RerankRequest;
import ai.local.runtime.api.RerankResult;

/** An upstream's {@code /rerank}, in the Jina / Cohere shape vLLM, llama-server, Infinity and TEI serve. */
final class RerankWire {

	private RerankWire() {
	}

	/** A /rerank body (Jina / Cohere shape): every document scored, none sent back. */
	static ObjectNode body(RerankRequest r) {
		ObjectNode b = OpenAiWire.MAPPER.createObjectNode();
		b.put("model", r.model());
		b.put("query", r.query());
		ArrayNode docs = b.putArray("documents");
		r.documents().forEach(docs::add);
		b.put("top_n", r.documents().size());
		b.put("return_documents", false);
		return b;
	}

	/** A /rerank answer: {@code results[].index} and {@code relevance_score}, as scores in document order. */
	static RerankResult result(JsonNode body, int documents, Upstream u) {
		JsonNode results = body.get("results");
		if (results == null || !results.isArray() || results.size() != documents) {
			throw UpstreamErrors.garbled(u, (results == null ? "no" : results.size()) + " rerank results for " + documents
					+ " documents", body.toString());
		}
		double[] scores = new double[documents];
		boolean[] seen = new boolean[documents];
		for (JsonNode r : results) {
			int index = r.path("index").asInt(-1);
			JsonNode score = r.get("relevance_score");
			if (index < 0 || index >= documents || seen[index] || score == null || !score.isNumber()) {
				throw UpstreamErrors.garbled(u, "a malformed rerank result", r.toString());
			}
			seen[index] = true;
			scores[index] = score.asDouble();
		}
		JsonNode usage = body.path("usage");
		return new RerankResult(scores, usage.path("prompt_tokens").asInt(usage.path("total_tokens").asInt(0)));
	}
}
