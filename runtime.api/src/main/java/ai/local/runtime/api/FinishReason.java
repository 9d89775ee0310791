package ai.local.runtime.api;

import java.util.Locale;

/** Why a completion ended, with OpenAI's wire names. */
public enum FinishReason {
	STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER;

	/** The OpenAI wire value: stop, length, tool_calls, content_filter. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}
}
