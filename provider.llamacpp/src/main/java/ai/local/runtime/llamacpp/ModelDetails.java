package ai.local.runtime.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.local.runtime.llamacpp.engine.FileTypes;

/**
 * A model's entry in {@code /v1/models} beyond its id: architecture, context (as trained, and as served per
 * slot), file size, quantization, capabilities and whether it is loaded, from the GGUF header.
 */
final class ModelDetails {
	private ModelDetails() {
	}

	static Map<String, Object> of(GgufHeader h, Path file, int slotContext, boolean loaded) {
		Map<String, Object> d = new LinkedHashMap<>();
		if (!h.architecture().isEmpty()) {
			d.put("architecture", h.architecture());
		}
		if (h.contextLength() > 0) {
			d.put("context_length", Math.min(slotContext, h.contextLength()));
			d.put("context_length_trained", h.contextLength());
		}
		try {
			d.put("size", Files.size(file));
		} catch (Exception e) {
			// listed without a size
		}
		String quantization = FileTypes.name(h.fileType());
		if (!quantization.isEmpty()) {
			d.put("quantization", quantization);
		}
		List<String> caps = new ArrayList<>();
		if (h.reranker()) {
			caps.add("rerank");
		} else if (h.embeddingOnly()) {
			caps.add("embeddings");
		} else {
			caps.add("chat");
			if (h.chatTemplate().contains("tools")) {
				caps.add("tools");
			}
			String t = h.chatTemplate();
			if (t.contains("<think>") || t.contains("enable_thinking") || t.contains("reasoning_content")) {
				caps.add("thinking");
			}
			if (h.fim()) {
				caps.add("infill");
			}
			caps.add("embeddings");
		}
		d.put("capabilities", caps);
		d.put("loaded", loaded);
		return d;
	}
}
