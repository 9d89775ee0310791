package ai.local.runtime.llamacpp;

/**
 * Rule names of a GBNF grammar given a prefix (definitions and references alike; literals and character classes
 * untouched), so that the grammars of several tools' arguments can live in one grammar.
 */
final class GbnfRules {
	private GbnfRules() {
	}

	static String prefixed(String gbnf, String prefix) {
		StringBuilder out = new StringBuilder(gbnf.length() + 256);
		int i = 0, n = gbnf.length();
		while (i < n) {
			char c = gbnf.charAt(i);
			if (c == '"' || c == '[') {
				char close = c == '"' ? '"' : ']';
				int j = i + 1;
				while (j < n && gbnf.charAt(j) != close) {
					j += gbnf.charAt(j) == '\\' ? 2 : 1;
				}
				out.append(gbnf, i, Math.min(n, j + 1));
				i = j + 1;
			} else if (c == '#') {
				int j = gbnf.indexOf('\n', i);
				j = j < 0 ? n : j;
				out.append(gbnf, i, j);
				i = j;
			} else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
				int j = i;
				while (j < n && (Character.isLetterOrDigit(gbnf.charAt(j)) || gbnf.charAt(j) == '-' || gbnf.charAt(j) == '_')) {
					j++;
				}
				String word = gbnf.substring(i, j);
				// a repetition count {m,n} holds digits, not names
				boolean number = word.chars().allMatch(Character::isDigit);
				out.append(number ? word : prefix + word);
				i = j;
			} else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}
}
