package ai.local.runtime.llamacpp.engine;

/**
 * One ggml device and its memory as the backend reports it now: {@code gpu} for a device with memory of its own
 * (a discrete GPU), whose {@code free} bytes bound what models may offload to it.
 */
public record DeviceMemory(String name, boolean gpu, long free, long total) {
}
