/**
 * Reading a component's configuration with the C++ original's environment variables as defaults, the same way
 * in every bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package ai.local.runtime.api.settings;
