package ai.local.runtime.http.codec;

import java.util.List;

import ai.local.runtime.api.CompletionRequest;

/**
 * A decoded text completion: OpenAI's {@code /v1/completions} or llama-server's {@code /infill} and
 * {@code /completion}.
 *
 * @param requests one per prompt (OpenAI's array of prompts: each its own choice, in order); never empty
 * @param echo OpenAI's {@code echo}: the prompt comes back before the completion
 * @param includeUsage {@code stream_options.include_usage}
 * @param probabilities llama-server's {@code post_sampling_probs}: its {@code completion_probabilities} as
 *        probabilities ({@code prob}, {@code top_probs}) rather than log-probabilities
 */
public record CompletionCall(List<CompletionRequest> requests, boolean stream, boolean echo, boolean includeUsage,
		boolean probabilities) {

	public CompletionCall {
		requests = List.copyOf(requests);
		if (requests.isEmpty()) {
			throw new IllegalArgumentException("no prompt");
		}
	}

	public CompletionCall(List<CompletionRequest> requests, boolean stream, boolean echo, boolean includeUsage) {
		this(requests, stream, echo, includeUsage, false);
	}

	public CompletionCall(CompletionRequest request, boolean stream, boolean echo, boolean includeUsage) {
		this(List.of(request), stream, echo, includeUsage);
	}

	/** The first (for most calls the only) prompt's request. */
	public CompletionRequest request() {
		return requests.get(0);
	}
}
