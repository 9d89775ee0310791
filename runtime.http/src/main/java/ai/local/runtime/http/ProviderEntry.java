package ai.local.runtime.http;

import ai.local.runtime.api.ChatProvider;

/**
 * A registered provider and the bundle it came from (its name for logs when it misbehaves, its id to tell an
 * update from an uninstall).
 */
record ProviderEntry(String name, ChatProvider provider, String bundle, long bundleId) {
}
