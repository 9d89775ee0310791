package ai.local.runtime.api;

/** One model as a provider lists it; {@code id} is local to the provider (no prefix). */
public record ModelInfo(String id, String ownedBy, long created) {

	public ModelInfo(String id, String ownedBy) {
		this(id, ownedBy, 0L);
	}
}
