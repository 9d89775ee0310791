package ai.local.runtime.http;

import ai.local.runtime.api.ModelInfo;

/** One model of one provider, under the id clients use for it ({@link ProviderRegistry#publicId}). */
record ListedModel(String id, ProviderEntry entry, ModelInfo info) {
}
