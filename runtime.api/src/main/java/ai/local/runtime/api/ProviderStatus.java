package ai.local.runtime.api;

/** A provider's readiness, with a human-readable detail when it is not ready. */
public record ProviderStatus(State state, String detail) {

	public enum State {
		READY, LOADING, UNAVAILABLE
	}

	public static ProviderStatus ready() {
		return new ProviderStatus(State.READY, null);
	}

	public static ProviderStatus loading(String detail) {
		return new ProviderStatus(State.LOADING, detail);
	}

	public static ProviderStatus unavailable(String detail) {
		return new ProviderStatus(State.UNAVAILABLE, detail);
	}
}
