package ai.local.runtime.llamacpp;

import java.util.Arrays;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.RerankRequest;
import ai.local.runtime.api.RerankResult;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;

/**
 * Relevance scores from a reranking model (rank pooling), one pass per document. The input is the model's own
 * rerank prompt ({@code tokenizer.chat_template.rerank}, with {@code {query}} and {@code {document}} filled in, as
 * Qwen3-Reranker GGUFs carry it) or, for a model without one, the query and the document as a pair: each tokenized
 * with the model's special tokens, the document's leading start token dropped ({@code [CLS] q [SEP] d [SEP]} for
 * BERT-style rerankers). The score is the first output: P("yes") of a yes/no head, the logit of a one-output head.
 */
final class Reranking {
	private Reranking() {
	}

	static RerankResult of(LlamaModelHandle model, String template, RerankRequest request) {
		double[] scores = new double[request.documents().size()];
		int tokens = 0;
		for (int i = 0; i < scores.length; i++) {
			String document = request.documents().get(i);
			int[] ids = template.isEmpty() ? pair(model, request.query(), document)
					: model.tokenize(template.replace("{query}", request.query()).replace("{document}", document), true);
			tokens += ids.length;
			try {
				float[] out = model.embed(ids);
				if (out.length == 0) {
					throw ApiException.invalidRequest("The model gave no score: it is not a reranker", "model");
				}
				scores[i] = out[0];
			} catch (IllegalArgumentException e) {
				throw ApiException.invalidRequest("documents[" + i + "]: " + e.getMessage(), "documents");
			}
		}
		return new RerankResult(scores, tokens);
	}

	private static int[] pair(LlamaModelHandle model, String query, String document) {
		int[] q = model.tokenize(query, true);
		int[] d = model.tokenize(document, true);
		int skip = q.length > 0 && d.length > 0 && d[0] == q[0] ? 1 : 0;
		int[] ids = Arrays.copyOf(q, q.length + d.length - skip);
		System.arraycopy(d, skip, ids, q.length, d.length - skip);
		return ids;
	}
}
