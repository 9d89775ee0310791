/**
 * The engine SPI between provider.llamacpp and a native variant bundle (provider.llamacpp.cpu, a user-built
 * CUDA bundle, ...). A variant bundle wraps java-llama.cpp and its native library and registers a
 * {@link ai.local.runtime.llamacpp.engine.LlamaEngine}; the provider uses the one with the highest priority,
 * so installing another variant switches llama.cpp without a JVM restart. Requests and results are the JSON
 * of llama.cpp's server (completion parameters, chat template input), so no java-llama.cpp type crosses it.
 */
@Export
@Version("1.0.0")
package ai.local.runtime.llamacpp.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
