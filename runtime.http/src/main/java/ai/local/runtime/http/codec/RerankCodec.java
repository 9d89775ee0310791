package ai.local.runtime.http.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.RerankRequest;
import ai.local.runtime.api.RerankResult;

/**
 * {@code /v1/rerank} in the Jina / Cohere shape llama-server and vLLM serve: {@code query}, {@code documents}
 * (strings, or objects with {@code text}), {@code top_n}, {@code return_documents} → {@code results} sorted by
 * {@code relevance_score}, highest first, each with its document's {@code index}.
 */
public final class RerankCodec {

	/** The decoded body: the request, how many results to return, whether with their documents. */
	public record RerankCall(RerankRequest request, int topN, boolean returnDocuments) {
	}

	private RerankCodec() {
	}

	public static RerankCall decode(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = Fields.requiredString(b, "model", "");
		String query = Fields.requiredString(b, "query", "");
		JsonNode docs = Fields.optArray(b, "documents", "");
		if (docs == null || docs.isEmpty()) {
			throw ApiException.invalidRequest("Missing required parameter: 'documents' (a non-empty array)", "documents");
		}
		List<String> documents = new ArrayList<>();
		for (int i = 0; i < docs.size(); i++) {
			JsonNode d = docs.get(i);
			if (d.isTextual()) {
				documents.add(d.textValue());
			} else if (d.isObject()) {
				documents.add(Fields.requiredString(d, "text", Fields.path("documents", i)));
			} else {
				throw Fields.wrongType("documents", String.valueOf(i), "a string or {\"text\": ...}", d);
			}
		}
		Integer topN = Fields.optInt(b, "top_n", "", 1, Integer.MAX_VALUE);
		Boolean withDocs = Fields.optBoolean(b, "return_documents", "");
		return new RerankCall(new RerankRequest(model, query, documents, null),
				topN == null ? documents.size() : Math.min(topN, documents.size()), withDocs == null || withDocs);
	}

	public static ObjectNode encode(String id, String model, RerankCall call, RerankResult result) {
		ObjectNode o = Json.object();
		o.put("id", id);
		o.put("model", model);
		o.put("object", "list");
		ArrayNode results = o.putArray("results");
		double[] s = result.scores();
		IntStream.range(0, s.length).boxed().sorted(Comparator.comparingDouble((Integer i) -> -s[i])).limit(call.topN())
				.forEach(i -> {
					ObjectNode r = results.addObject();
					r.put("index", i);
					r.put("relevance_score", s[i]);
					if (call.returnDocuments()) {
						r.putObject("document").put("text", call.request().documents().get(i));
					}
				});
		o.putObject("usage").put("prompt_tokens", result.promptTokens()).put("total_tokens", result.promptTokens());
		return o;
	}
}
