package ai.local.runtime.llamacpp;

import java.util.List;

/**
 * The request's stop strings, applied to streamed text: text that could still turn out to be the start of a
 * stop string is held back until it cannot, and text from a stop string on is never sent.
 */
final class StopMatcher {
	private final List<String> stops;
	private final StringBuilder pending = new StringBuilder();
	private boolean stopped;

	StopMatcher(List<String> stops) {
		this.stops = stops.stream().filter(s -> s != null && !s.isEmpty()).toList();
	}

	/** The text that is safe to send now. */
	String accept(String piece) {
		if (stopped) {
			return "";
		}
		pending.append(piece);
		int first = -1;
		for (String stop : stops) {
			int at = pending.indexOf(stop);
			if (at >= 0 && (first < 0 || at < first)) {
				first = at;
			}
		}
		if (first >= 0) {
			stopped = true;
			String out = pending.substring(0, first);
			pending.setLength(0);
			return out;
		}
		int hold = 0;
		for (String stop : stops) {
			for (int k = Math.min(stop.length() - 1, pending.length()); k > hold; k--) {
				if (pending.lastIndexOf(stop.substring(0, k)) == pending.length() - k) {
					hold = k;
					break;
				}
			}
		}
		String out = pending.substring(0, pending.length() - hold);
		pending.delete(0, pending.length() - hold);
		return out;
	}

	boolean stopped() {
		return stopped;
	}

	/** What was held back, once generation has ended without a stop string. */
	String flush() {
		String out = pending.toString();
		pending.setLength(0);
		return out;
	}
}
