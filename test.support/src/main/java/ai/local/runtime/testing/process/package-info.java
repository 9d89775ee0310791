/** Starts the runtime as a user does, for black-box tests and benchmarks. */
@Export
@Version("1.0.0")
package ai.local.runtime.testing.process;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
