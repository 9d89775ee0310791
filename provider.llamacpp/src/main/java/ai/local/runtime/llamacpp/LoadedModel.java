package ai.local.runtime.llamacpp;

import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;

/** A model in memory: its handle, how it was loaded, and its slots. {@code slotContext} is one slot's share. */
record LoadedModel(String id, LoadSpec spec, LlamaModelHandle handle, SlotPool slots, int slotContext,
		String variant) {
}
