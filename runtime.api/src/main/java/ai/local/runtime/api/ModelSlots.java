package ai.local.runtime.api;

import java.time.Instant;

/**
 * One model a provider holds loaded now and its parallel slots, for operators.
 *
 * @param model the provider-local model id
 * @param slots parallel sequences the model serves
 * @param busy slots generating now
 * @param waiting requests queued for a slot
 * @param contextPerSlot tokens of context each slot has; 0 when unknown
 * @param sizeBytes the model file's size; 0 when unknown
 * @param expiresAt when it unloads if no request comes; null while busy, pinned, kept for ever, or unknown
 * @param pinned whether it is never unloaded for being idle or to make room
 * @param memoryBytes the memory it takes (weights, KV cache, compute buffers) as estimated when it loaded; 0 when
 *        unknown
 */
public record ModelSlots(String model, int slots, int busy, int waiting, int contextPerSlot, long sizeBytes,
		Instant expiresAt, boolean pinned, long memoryBytes) {

	public ModelSlots(String model, int slots, int busy, int waiting, int contextPerSlot) {
		this(model, slots, busy, waiting, contextPerSlot, 0, null, false, 0);
	}
}
