package ai.local.runtime.api;

/**
 * One step of a model pull, in Ollama's {@code /api/pull} shape: a {@code status} ("pulling manifest",
 * "pulling sha256:…", "verifying sha256 digest", "success" ...) and, while a file downloads, its {@code digest},
 * {@code total} bytes and bytes {@code completed} so far (0 where they do not apply).
 */
public record PullProgress(String status, String digest, long total, long completed) {

	public static PullProgress status(String status) {
		return new PullProgress(status, null, 0, 0);
	}
}
