package ai.local.runtime.api;

import java.time.Instant;

/**
 * A stored session as {@link SessionStore#list} reports it.
 *
 * @param id the session id
 * @param turns how many turns (requests, each with its reply) its history holds
 * @param updated when it was last written; null when the store does not know
 */
public record SessionInfo(String id, int turns, Instant updated) {
}
