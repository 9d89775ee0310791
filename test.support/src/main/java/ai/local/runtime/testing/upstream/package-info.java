/**
 * Local stand-ins for upstreams that cannot run here (Ollama, LMDeploy, MNN, vLLM): real HTTP servers that
 * answer in each one's documented wire format, from a fixed script, and record what they receive.
 */
@Export
@Version("1.0.0")
package ai.local.runtime.testing.upstream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
