package ai.local.runtime.testing.gguf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 style byte-level BPE vocabulary: the 256 byte tokens in GPT-2's bytes_to_unicode form, then merges
 * learnt from a small built-in English corpus (so ordinary text takes fewer tokens than bytes), then the
 * special tokens.
 */
public final class ByteLevelBpe {

	private static final String CORPUS = """
			The quick brown fox jumps over the lazy dog. Hello world, hello there! What is the weather \
			in Paris today? The weather is sunny and warm. Please call the function with the arguments. \
			A language model answers the question of the user. The runtime serves the OpenAI API for local \
			models, streaming tokens as soon as they exist. Tools return results to the assistant, which then \
			writes the final answer. This is a test of the tokenizer and the chat template of the model.""";

	public final List<String> tokens = new ArrayList<>();
	public final List<String> merges = new ArrayList<>();
	public final List<Integer> types = new ArrayList<>();

	public ByteLevelBpe(int mergeCount, List<String> specials) {
		String[] byteChars = bytesToUnicode();
		for (String c : byteChars) {
			add(c, 1);
		}
		Map<List<String>, Integer> words = new LinkedHashMap<>();
		for (String w : CORPUS.split("(?= )")) {
			List<String> symbols = new ArrayList<>();
			for (byte b : w.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
				symbols.add(byteChars[b & 0xff]);
			}
			words.merge(symbols, 1, Integer::sum);
		}
		for (int m = 0; m < mergeCount; m++) {
			Map<String, Integer> pairs = new HashMap<>();
			String best = null;
			for (var e : words.entrySet()) {
				List<String> s = e.getKey();
				for (int i = 0; i + 1 < s.size(); i++) {
					String pair = s.get(i) + " " + s.get(i + 1);
					int n = pairs.merge(pair, e.getValue(), Integer::sum);
					if (best == null || n > pairs.get(best) || (n == pairs.get(best) && pair.compareTo(best) < 0)) {
						best = pair;
					}
				}
			}
			if (best == null) {
				break;
			}
			merges.add(best);
			String[] ab = best.split(" ");
			add(ab[0] + ab[1], 1);
			Map<List<String>, Integer> merged = new LinkedHashMap<>();
			for (var e : words.entrySet()) {
				List<String> s = e.getKey(), out = new ArrayList<>();
				for (int i = 0; i < s.size(); i++) {
					if (i + 1 < s.size() && s.get(i).equals(ab[0]) && s.get(i + 1).equals(ab[1])) {
						out.add(ab[0] + ab[1]);
						i++;
					} else {
						out.add(s.get(i));
					}
				}
				merged.merge(out, e.getValue(), Integer::sum);
			}
			words = merged;
		}
		for (String s : specials) {
			add(s, 3);
		}
	}

	public int id(String token) {
		return tokens.indexOf(token);
	}

	private void add(String token, int type) {
		tokens.add(token);
		types.add(type);
	}

	/** GPT-2's reversible byte → printable character mapping. */
	static String[] bytesToUnicode() {
		String[] map = new String[256];
		int extra = 0;
		for (int b = 0; b < 256; b++) {
			boolean printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
			map[b] = new String(Character.toChars(printable ? b : 256 + extra++));
		}
		return map;
	}
}
