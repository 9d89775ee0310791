package ai.local.runtime.api;

import java.time.Instant;

/**
 * An API request in progress, for operators.
 *
 * @param id a number unique within this run of the runtime
 * @param endpoint the endpoint without its prefix, e.g. {@code chat/completions}
 * @param model the model id the client asked for; null until the body is read
 * @param provider the provider it was routed to; null until routed
 * @param streamed whether the response is a stream
 * @param started when it arrived
 */
public record LiveRequest(long id, String endpoint, String model, String provider, boolean streamed, Instant started) {
}
