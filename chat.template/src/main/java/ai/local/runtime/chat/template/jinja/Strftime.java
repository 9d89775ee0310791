package ai.local.runtime.chat.template.jinja;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's {@code datetime.strftime} in the C locale, the directives templates use. */
final class Strftime {
	private Strftime() {
	}

	static String format(String pattern, ZonedDateTime t) {
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c != '%' || i + 1 >= pattern.length()) {
				b.append(c);
				continue;
			}
			char d = pattern.charAt(++i);
			switch (d) {
			case 'd' -> b.append(String.format("%02d", t.getDayOfMonth()));
			case 'm' -> b.append(String.format("%02d", t.getMonthValue()));
			case 'Y' -> b.append(t.getYear());
			case 'y' -> b.append(String.format("%02d", t.getYear() % 100));
			case 'H' -> b.append(String.format("%02d", t.getHour()));
			case 'I' -> b.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
			case 'M' -> b.append(String.format("%02d", t.getMinute()));
			case 'S' -> b.append(String.format("%02d", t.getSecond()));
			case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
			case 'b', 'h' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
			case 'B' -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
			case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
			case 'A' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
			case 'j' -> b.append(String.format("%03d", t.getDayOfYear()));
			case 'e' -> b.append(String.format("%2d", t.getDayOfMonth()));
			case 'Z' -> b.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.US));
			case '%' -> b.append('%');
			default -> b.append('%').append(d);
			}
		}
		return b.toString();
	}
}
