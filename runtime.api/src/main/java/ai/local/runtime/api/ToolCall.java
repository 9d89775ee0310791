package ai.local.runtime.api;

/**
 * A function call made by the model.
 *
 * @param id the call id the tool result refers back to
 * @param name the function name
 * @param arguments the arguments as a JSON text (OpenAI keeps them a string)
 */
public record ToolCall(String id, String name, String arguments) {
}
