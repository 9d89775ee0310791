package ai.local.runtime.llamacpp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.local.runtime.api.ApiException;

/**
 * A model on the Hugging Face Hub as a pull names it: {@code hf.co/ORG/REPO[:QUANT]}, {@code ORG/REPO[:QUANT]} or
 * {@code hf.co/ORG/REPO/FILE.gguf} ({@code huggingface.co/} and an {@code https://} prefix are accepted too).
 * {@code id} is the reference as given: the pulled model is served under exactly that id.
 *
 * @param quant the quantisation tag to find in the repository's file names, null for the default
 * @param file a file of the repository, or null
 */
record HubRef(String id, String org, String repo, String quant, String file) {
	private static final Pattern REF = Pattern.compile(
			"(?:https?://)?(?:(?:hf\\.co|huggingface\\.co)/)?([A-Za-z0-9][\\w.-]*)/([\\w.-]+)(?::([\\w.-]+)|/(.+\\.gguf))?");

	/** Whether an id looks like a Hub reference (for pull-on-demand). */
	static boolean looksLike(String id) {
		return id.startsWith("hf.co/") || id.startsWith("huggingface.co/");
	}

	static HubRef parse(String ref) {
		String id = ref == null ? "" : ref.strip();
		Matcher m = REF.matcher(id);
		if (!m.matches() || id.contains("..")) {
			throw ApiException.invalidRequest("'" + id + "' is not a Hugging Face model reference; use hf.co/ORG/REPO:QUANT, "
					+ "ORG/REPO:QUANT or hf.co/ORG/REPO/FILE.gguf", "model");
		}
		return new HubRef(id, m.group(1), m.group(2), m.group(3), m.group(4));
	}

	String repoPath() {
		return org + "/" + repo;
	}
}
