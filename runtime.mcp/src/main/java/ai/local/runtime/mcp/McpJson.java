package ai.local.runtime.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;

import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolResult;

/** Between MCP's tool shapes and the runtime's. The SDK gets its mapper and validator here, not by lookup. */
final class McpJson {
	static final ObjectMapper JACKSON = new ObjectMapper();
	static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(JACKSON);
	static final JsonSchemaValidator VALIDATOR = new DefaultJsonSchemaValidator(JACKSON);

	/** Arguments that are not a JSON object. */
	static final class BadArguments extends RuntimeException {
		private static final long serialVersionUID = 1L;

		BadArguments(String message) {
			super(message);
		}
	}

	private McpJson() {
	}

	static Map<String, Object> arguments(String json) {
		if (json == null || json.isBlank()) {
			return Map.of();
		}
		try {
			return JACKSON.readValue(json, new TypeReference<Map<String, Object>>() {
			});
		} catch (JsonProcessingException e) {
			throw new BadArguments("the arguments must be a JSON object, not: " + json);
		}
	}

	static ToolDefinition definition(String exposedName, McpSchema.Tool tool) {
		String description = tool.description() != null ? tool.description() : tool.title();
		return new ToolDefinition(exposedName, description, tool.inputSchema(), false);
	}

	/** Text for the model: the text parts joined; other parts described; structured content as JSON. */
	static ToolResult result(McpSchema.CallToolResult r) {
		List<String> parts = new ArrayList<>();
		if (r.content() != null) {
			for (McpSchema.Content c : r.content()) {
				if (c instanceof McpSchema.TextContent t) {
					parts.add(t.text());
				} else if (c instanceof McpSchema.EmbeddedResource e
						&& e.resource() instanceof McpSchema.TextResourceContents t) {
					parts.add(t.text());
				} else if (c instanceof McpSchema.ImageContent i) {
					parts.add("[image " + i.mimeType() + "]");
				} else {
					parts.add("[" + c.type() + "]");
				}
			}
		}
		if (parts.isEmpty() && r.structuredContent() != null) {
			try {
				parts.add(JACKSON.writeValueAsString(r.structuredContent()));
			} catch (JsonProcessingException e) {
				parts.add(String.valueOf(r.structuredContent()));
			}
		}
		return new ToolResult(String.join("\n", parts), Boolean.TRUE.equals(r.isError()));
	}
}
