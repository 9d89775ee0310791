/**
 * Contracts of Local AI Runtime. Providers, session stores, tool sources and tool loops meet the router only
 * through these services and the OpenAI-shaped, provider-agnostic records beside them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.11.0")
package ai.local.runtime.api;
