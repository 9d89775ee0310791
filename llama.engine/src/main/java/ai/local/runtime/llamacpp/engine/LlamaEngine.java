package ai.local.runtime.llamacpp.engine;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** llama.cpp loaded in this process, registered as a service by the engine bundle. */
@ProviderType
public interface LlamaEngine {

	/** {@code cpu}, or the GPU backend that models are offloaded to (e.g. {@code cuda}). */
	String variant();

	/** The llama.cpp release and the directory its libraries were loaded from. */
	String library();

	/** The ggml devices, e.g. {@code CPU: Intel(R) Xeon(R) ...}. */
	List<String> devices();

	/** The devices' memory now (GPU backends report their own; the CPU device, the system's). */
	default List<DeviceMemory> deviceMemory() {
		return List.of();
	}

	/** Loads a model; fails with an {@link IllegalArgumentException} saying why when it cannot be loaded. */
	LlamaModelHandle load(LoadSpec spec);

	/**
	 * llama.cpp's GBNF grammar for a JSON schema; an {@link IllegalArgumentException} naming the construct
	 * when the schema cannot be translated.
	 */
	String grammarOf(String jsonSchema);
}
