/** A {@link ai.local.runtime.api.ChatSink} for provider unit tests. */
@Export
@Version("1.0.0")
package ai.local.runtime.testing.sink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
