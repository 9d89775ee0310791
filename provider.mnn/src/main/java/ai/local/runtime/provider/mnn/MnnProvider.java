package ai.local.runtime.provider.mnn;

import java.util.EnumSet;
import java.util.List;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ProviderStatus;
import ai.local.runtime.provider.openai.client.OpenAiCompatibleProvider;
import ai.local.runtime.provider.openai.client.Upstream;

/**
 * MNN's servers speak OpenAI chat completions (SSE when streamed) under a prefix that varies by build. Many
 * have no model list: then the configured one is used, and without one the provider lists nothing but still
 * routes {@code mnn:<anything>} (such servers answer with their one loaded model whatever the id).
 */
final class MnnProvider extends OpenAiCompatibleProvider {
	private volatile boolean noModelList;

	MnnProvider(Upstream upstream) {
		super(upstream, EnumSet.of(Capability.CHAT, Capability.STREAM));
	}

	@Override
	public List<ModelInfo> models() {
		try {
			List<ModelInfo> models = super.models();
			noModelList = false;
			return models;
		} catch (ApiException e) {
			if (e.type() == ErrorType.NOT_FOUND || e.type() == ErrorType.INVALID_REQUEST) {
				noModelList = true;
				return List.of();
			}
			throw e;
		}
	}

	@Override
	public ProviderStatus status() {
		return noModelList ? new ProviderStatus(ProviderStatus.State.READY,
				"the server has no model list; set models in provider.mnn to list them") : ProviderStatus.ready();
	}
}
