/**
 * What every HTTP provider needs to talk to its upstream: {@link Upstream} (where it is and how long to
 * wait), {@link UpstreamClient} (pooled HTTP with the upstream's failures turned into clear
 * {@link ai.local.runtime.api.ApiException}s), {@link SseParser} for event streams, {@link OpenAiWire} (the
 * OpenAI JSON codec, request and response side) and {@link OpenAiCompatibleProvider}, the provider that
 * provider.lmdeploy and provider.mnn configure. Not exported: every HTTP provider bundle embeds its own private
 * copy (cnf/upstream-client.bnd), so that each provider jar can be replaced alone.
 */
package ai.local.runtime.provider.openai.client;
