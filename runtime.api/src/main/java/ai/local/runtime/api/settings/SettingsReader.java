package ai.local.runtime.api.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;

/**
 * Resolves configuration values: a configured value wins, then the environment variable (looked up by
 * {@code env}), then the built-in default. A bad value never fails: it is replaced by its default and reported
 * in {@link #problems()}, so a typo in conf/ leaves the component running and says why in the log.
 * <p>
 * The configuration types declare the built-in defaults themselves, so that the Web Console shows the values in
 * use; a configured value equal to the built-in default (what a console form saved unchanged holds) therefore
 * counts as unset and yields to the environment variable. Blank strings and negative numbers are unset too.
 */
public final class SettingsReader {
	private final UnaryOperator<String> env;
	private final List<String> problems = new ArrayList<>();

	public SettingsReader(UnaryOperator<String> env) {
		this.env = env;
	}

	/** Environment lookup: a framework or -D system property of the same name wins over the variable. */
	public static UnaryOperator<String> environment(BundleContext context) {
		return name -> {
			String p = context.getProperty(name);
			return p != null ? p : System.getenv(name);
		};
	}

	/** What was wrong with the values read so far, one sentence each. */
	public List<String> problems() {
		return List.copyOf(problems);
	}

	public void problem(String sentence) {
		problems.add(sentence);
	}

	/**
	 * {@code configured} unless blank or the default, else the variable unless blank, else {@code fallback};
	 * trimmed.
	 */
	public String string(String configured, String variable, String fallback) {
		if (configured != null && !configured.isBlank() && !configured.trim().equals(fallback)) {
			return configured.trim();
		}
		String v = variable == null ? null : env.apply(variable);
		return v != null && !v.isBlank() ? v.trim() : fallback;
	}

	/** A whole number; a negative {@code configured}, or the default, means unset. */
	public int integer(String name, int configured, String variable, int fallback, int min) {
		long v = whole(name, configured, variable, fallback, min);
		if (v > Integer.MAX_VALUE) {
			problems.add(name + " must be at most " + Integer.MAX_VALUE + ", not " + v + "; using " + fallback);
			return fallback;
		}
		return (int) v;
	}

	/** A whole number; a negative {@code configured}, or the default, means unset. */
	public long whole(String name, long configured, String variable, long fallback, long min) {
		String text = configured >= 0 && configured != fallback ? Long.toString(configured)
				: string(null, variable, Long.toString(fallback));
		long v = parseLong(name, text, fallback);
		if (v < min) {
			problems.add(name + " must be at least " + min + ", not " + v + "; using " + fallback);
			return fallback;
		}
		return v;
	}

	public long parseLong(String name, String text, long fallback) {
		try {
			return Long.parseLong(text.trim());
		} catch (NumberFormatException e) {
			problems.add(name + " must be a whole number, not '" + text + "'; using " + fallback);
			return fallback;
		}
	}

	public double decimal(String name, String configured, String variable, double fallback, double min, double max) {
		String text = string(configured, variable, Double.toString(fallback));
		try {
			double v = Double.parseDouble(text);
			if (v >= min && v <= max) {
				return v;
			}
		} catch (NumberFormatException e) {
			// reported below
		}
		problems.add(name + " must be a number from " + min + " to " + max + ", not '" + text + "'; using " + fallback);
		return fallback;
	}

	/** A number; the default means unset. @since 1.1 */
	public double decimal(String name, double configured, String variable, double fallback, double min, double max) {
		return decimal(name, configured == fallback || Double.isNaN(configured) ? null : Double.toString(configured),
				variable, fallback, min, max);
	}

	/** A switch; the default means unset. @since 1.1 */
	public boolean bool(String name, boolean configured, String variable, boolean fallback) {
		return bool(name, configured == fallback ? null : Boolean.toString(configured), variable, fallback);
	}

	public boolean bool(String name, String configured, String variable, boolean fallback) {
		String text = string(configured, variable, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
		switch (text) {
		case "true", "1", "yes", "on":
			return true;
		case "false", "0", "no", "off":
			return false;
		default:
			problems.add(name + " must be true or false, not '" + text + "'; using " + fallback);
			return fallback;
		}
	}
}
