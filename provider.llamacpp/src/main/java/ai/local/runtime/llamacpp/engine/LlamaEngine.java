package ai.local.runtime.llamacpp.engine;

import org.osgi.annotation.versioning.ConsumerType;

/** One loaded native llama.cpp library, registered as a service by its variant bundle. */
@ConsumerType
public interface LlamaEngine {

	/** The variant's name, e.g. {@code cpu} or {@code cuda}. */
	String variant();

	/** Higher wins when several variants are installed (the CPU bundle has 0, CUDA bundles 100). */
	int priority();

	/** The native library file this engine loaded. */
	String library();

	/** Loads a model; fails with a message naming the file when it cannot be loaded. */
	LlamaModelHandle load(LoadSpec spec);

	/** llama.cpp's GBNF grammar for a JSON schema; fails on a schema it cannot translate. */
	String grammarOf(String jsonSchema);
}
