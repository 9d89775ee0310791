/** Writes GGUF v3 files and builds tiny llama models for tests and benchmarks. */
@Export
@Version("1.0.0")
package ai.local.runtime.testing.gguf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
