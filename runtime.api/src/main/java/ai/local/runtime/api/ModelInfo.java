package ai.local.runtime.api;

import java.util.Map;

/**
 * One model as a provider lists it; {@code id} is local to the provider (no prefix). {@code details} are
 * further fields of the model's entry in {@code /v1/models} (e.g. {@code context_length}, {@code architecture},
 * {@code capabilities}), in the order given; never null.
 */
public record ModelInfo(String id, String ownedBy, long created, Map<String, Object> details) {

	public ModelInfo {
		details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
	}

	public ModelInfo(String id, String ownedBy, long created) {
		this(id, ownedBy, created, Map.of());
	}

	public ModelInfo(String id, String ownedBy) {
		this(id, ownedBy, 0L);
	}
}
