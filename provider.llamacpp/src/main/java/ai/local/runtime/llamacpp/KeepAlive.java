package ai.local.runtime.llamacpp;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.local.runtime.api.ApiException;

/**
 * How long a model stays loaded after its last request, as Ollama reads it: a Go duration ({@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 500ms}), a number of seconds, {@code 0} (unload at once) or a negative value (forever,
 * returned as null).
 */
final class KeepAlive {
	private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

	private KeepAlive() {
	}

	/** @return the duration, or null for forever; an {@link IllegalArgumentException} for anything else */
	static Duration parse(Object value) {
		if (value instanceof Number n) {
			return n.doubleValue() < 0 ? null : Duration.ofMillis(Math.round(n.doubleValue() * 1000));
		}
		String s = String.valueOf(value).strip();
		if (s.startsWith("-")) {
			parse(s.substring(1)); // still has to be a duration
			return null;
		}
		if (s.matches("\\d+(\\.\\d+)?")) {
			return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
		}
		Matcher m = PART.matcher(s);
		double nanos = 0;
		int at = 0;
		while (m.find() && m.start() == at) {
			double v = Double.parseDouble(m.group(1));
			nanos += v * switch (m.group(2)) {
			case "ns" -> 1;
			case "us", "µs" -> 1e3;
			case "ms" -> 1e6;
			case "s" -> 1e9;
			case "m" -> 60e9;
			default -> 3600e9;
			};
			at = m.end();
		}
		if (at == 0 || at != s.length()) {
			throw new IllegalArgumentException("'" + s + "' is not a duration (e.g. 30s, 5m, 1h, 0, -1)");
		}
		return Duration.ofNanos((long) nanos);
	}

	/** A request's {@code keep_alive}, or null when it has none (then the configured one holds). */
	static Duration ofRequest(Object value, Duration fallback) {
		if (value == null) {
			return fallback;
		}
		try {
			return parse(value);
		} catch (IllegalArgumentException e) {
			throw ApiException.invalidRequest("keep_alive: " + e.getMessage(), "keep_alive");
		}
	}
}
