package ai.local.runtime.api;

import java.util.Map;

/**
 * A function tool.
 *
 * @param name function name
 * @param description what it does, for the model; may be null
 * @param parameters its JSON Schema as plain Java values (maps, lists, strings, numbers, booleans); may be
 *        null when a tool is only named (server-side tools resolve the schema themselves)
 * @param strict whether arguments must follow the schema exactly
 */
public record ToolDefinition(String name, String description, Map<String, Object> parameters, boolean strict) {
}
