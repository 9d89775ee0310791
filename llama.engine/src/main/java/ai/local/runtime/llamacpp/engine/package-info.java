/**
 * The engine contract between provider.llamacpp and the in-process llama.cpp engine (bundle llama.engine, which
 * binds llama.cpp's C API through java.lang.foreign). Typed requests in, text pieces and counts out; no native
 * type crosses it. Exported by the engine bundle so that updating the provider never refreshes the engine: the
 * native libraries it loaded stay in the process until the JVM exits.
 */
@Export
@Version("2.3.0")
package ai.local.runtime.llamacpp.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
