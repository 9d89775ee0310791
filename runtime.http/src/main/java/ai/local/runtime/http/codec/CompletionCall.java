package ai.local.runtime.http.codec;

import ai.local.runtime.api.CompletionRequest;

/**
 * A decoded text completion: OpenAI's {@code /v1/completions} or llama-server's {@code /infill} and
 * {@code /completion}.
 *
 * @param echo OpenAI's {@code echo}: the prompt comes back before the completion
 * @param includeUsage {@code stream_options.include_usage}
 */
public record CompletionCall(CompletionRequest request, boolean stream, boolean echo, boolean includeUsage) {
}
