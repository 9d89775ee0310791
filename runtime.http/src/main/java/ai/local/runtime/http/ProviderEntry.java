package ai.local.runtime.http;

import ai.local.runtime.api.ChatProvider;

/** A registered provider and the bundle it came from (for logs when it misbehaves). */
record ProviderEntry(String name, ChatProvider provider, String bundle) {
}
