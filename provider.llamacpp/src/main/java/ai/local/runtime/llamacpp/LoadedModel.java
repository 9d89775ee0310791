package ai.local.runtime.llamacpp;

import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;

/** A model in memory: its handle, how it was loaded, its slots, and its chat template. */
record LoadedModel(String id, LoadSpec spec, LlamaModelHandle handle, SlotPool slots, ModelTemplate template) {

	/** One slot's share of the context. */
	int slotContext() {
		return spec.contextSize() / spec.parallel();
	}
}
