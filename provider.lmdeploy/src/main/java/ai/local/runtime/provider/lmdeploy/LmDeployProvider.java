package ai.local.runtime.provider.lmdeploy;

import java.util.EnumSet;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.provider.openai.client.OpenAiCompatibleProvider;
import ai.local.runtime.provider.openai.client.Upstream;

/**
 * LMDeploy's api_server is OpenAI-compatible, and takes top_k and repetition_penalty (sent by the shared codec
 * when a client gives them) and skip_special_tokens (passed through). Its /v1/embeddings always answers 400
 * "Unsupported by turbomind.", which clients get as a plain statement of what is missing.
 */
final class LmDeployProvider extends OpenAiCompatibleProvider {

	LmDeployProvider(Upstream upstream) {
		super(upstream, EnumSet.of(Capability.CHAT, Capability.STREAM, Capability.TOOLS, Capability.JSON_SCHEMA,
				Capability.VISION));
	}

	@Override
	public EmbeddingResult embed(EmbeddingRequest request) {
		try {
			return super.embed(request);
		} catch (ApiException e) {
			if (e.type() == ErrorType.INVALID_REQUEST || e.type() == ErrorType.NOT_FOUND) {
				throw ApiException.invalidRequest("Embeddings are not supported by lmdeploy (its api_server answered: "
						+ e.getMessage() + ")", "model");
			}
			throw e;
		}
	}
}
