package ai.local.runtime.api;

/** What a tool returned: text for the model, and whether the tool reported an error. */
public record ToolResult(String content, boolean error) {
}
