package ai.local.runtime.api;

/**
 * One model a provider holds loaded now and its parallel slots, for operators.
 *
 * @param model the provider-local model id
 * @param slots parallel sequences the model serves
 * @param busy slots generating now
 * @param waiting requests queued for a slot
 * @param contextPerSlot tokens of context each slot has; 0 when unknown
 */
public record ModelSlots(String model, int slots, int busy, int waiting, int contextPerSlot) {
}
