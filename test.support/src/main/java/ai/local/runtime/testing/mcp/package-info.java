/** MCP servers for tests, built with the MCP Java SDK: over streamable HTTP and SSE on Jetty, and over stdio. */
package ai.local.runtime.testing.mcp;
