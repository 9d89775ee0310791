package ai.local.runtime.api;

/**
 * One relevance score per document, in the request's document order (higher is more relevant), and the tokens
 * the query and documents took.
 *
 * @since 1.10
 */
public record RerankResult(double[] scores, int promptTokens) {
}
