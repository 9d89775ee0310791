/** A plain HTTP client for black-box tests of the runtime's API. */
@Export
@Version("1.0.0")
package ai.local.runtime.testing.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
