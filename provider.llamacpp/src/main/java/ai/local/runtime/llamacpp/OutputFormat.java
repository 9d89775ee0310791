package ai.local.runtime.llamacpp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.llamacpp.engine.LlamaEngine;

/**
 * What the model must produce, as a llama.cpp grammar. Tool calls follow llama.cpp's generic format, which
 * works for any model: {@code {"tool_calls": [{"name": ..., "arguments": {...}}]}}, with each call's arguments
 * constrained by that tool's schema, or, when the model may choose ({@code tool_choice: auto}),
 * {@code {"response": "..."}} instead. JSON response formats are constrained by their schema.
 */
record OutputFormat(Kind kind, String grammar, String instruction, int[] grammarTriggers) {
	enum Kind {
		/** TOOLS: the runtime's generic JSON tool format; NATIVE_TOOLS: the model's own (see {@link ToolSyntax}) */
		TEXT, JSON, TOOLS, NATIVE_TOOLS
	}

	static final OutputFormat TEXT = new OutputFormat(Kind.TEXT, null, null);

	OutputFormat(Kind kind, String grammar, String instruction) {
		this(kind, grammar, instruction, new int[0]);
	}
	/** Bounds on what a request may make the grammar converter and parser work through. */
	static final int MAX_SCHEMA_CHARS = 256 * 1024;
	static final int MAX_GRAMMAR_CHARS = 1024 * 1024;

	/** True when the prompt should carry the tool definitions. */
	static boolean offersTools(ChatRequest r) {
		return !r.tools().isEmpty() && (r.toolChoice() == null || r.toolChoice().mode() != ToolChoice.Mode.NONE);
	}

	/** @param budget the tokens the completion may produce: schema bounds beyond it are refused or lowered */
	static OutputFormat of(ChatRequest r, LlamaEngine engine, int budget) {
		return of(r, engine, budget, ToolSyntax.GENERIC, null, null);
	}

	/**
	 * @param syntax the model's own tool-call syntax: tools are offered in it, forced by a grammar in that syntax for
	 *        required or a named function (where the syntax has one; else the generic format's grammar)
	 * @param trigger the token that opens the syntax's calls, when it is one token; tool_choice auto then gets the
	 *        same grammar, lazy: text stays free, a call once opened follows its schema (null: auto stays free)
	 */
	static OutputFormat of(ChatRequest r, LlamaEngine engine, int budget, ToolSyntax syntax, String template,
			Integer trigger) {
		String own = UserGrammar.of(r.extra().get("grammar"));
		if (own != null) {
			if (offersTools(r) || r.responseFormat() != null && r.responseFormat().type() != ResponseFormat.Type.TEXT) {
				throw ApiException.invalidRequest("grammar cannot be combined with tools or a JSON response_format, "
						+ "which are grammars of their own", "grammar");
			}
			return new OutputFormat(Kind.TEXT, own, null);
		}
		if (offersTools(r)) {
			if (syntax.nativeFormat()) {
				ToolChoice choice = r.toolChoice() == null ? ToolChoice.AUTO : r.toolChoice();
				Map<String, JsonNode> fitted = fitted(r, budget);
				boolean auto = choice.mode() == ToolChoice.Mode.AUTO;
				ToolChoice forced = auto ? ToolChoice.REQUIRED : choice;
				String grammar = auto && trigger == null ? null
						: NativeToolGrammar.of(syntax, template, callSchema(r, forced, fitted), offered(r, forced, fitted),
								!Boolean.FALSE.equals(r.parallelToolCalls()), schema -> grammar(engine, schema, "tools"));
				if (auto) {
					return grammar == null ? new OutputFormat(Kind.NATIVE_TOOLS, null, null)
							: new OutputFormat(Kind.NATIVE_TOOLS, grammar, null, new int[] { trigger });
				}
				if (grammar != null) {
					return new OutputFormat(Kind.NATIVE_TOOLS, grammar, null);
				}
			}
			return tools(r, engine, budget);
		}
		ResponseFormat rf = r.responseFormat();
		if (rf == null || rf.type() == ResponseFormat.Type.TEXT) {
			return TEXT;
		}
		Object schema = rf.type() == ResponseFormat.Type.JSON_SCHEMA && rf.schema() != null ? rf.schema()
				: Map.of("type", "object");
		String param = "response_format.json_schema.schema";
		JsonNode tree = Json.MAPPER.valueToTree(schema);
		SchemaCheck.check(tree, param);
		SchemaBounds.fit(tree, budget, param);
		return new OutputFormat(Kind.JSON, grammar(engine, tree, param), null);
	}

	private static OutputFormat tools(ChatRequest r, LlamaEngine engine, int budget) {
		ToolChoice choice = r.toolChoice() == null ? ToolChoice.AUTO : r.toolChoice();
		ObjectNode call = callSchema(r, choice, fitted(r, budget));
		ObjectNode calls = Json.MAPPER.createObjectNode().put("type", "array").put("minItems", 1);
		JsonNode definitions = call.remove("$defs");
		calls.set("items", call);
		if (Boolean.FALSE.equals(r.parallelToolCalls())) {
			calls.put("maxItems", 1);
		}
		ObjectNode toolCalls = object("tool_calls", calls);
		if (definitions != null) {
			toolCalls.set("$defs", definitions);
		}
		boolean optional = choice.mode() == ToolChoice.Mode.AUTO;
		ObjectNode schema = toolCalls;
		if (optional) {
			schema = Json.MAPPER.createObjectNode();
			if (toolCalls.has("$defs")) {
				schema.set("$defs", toolCalls.remove("$defs"));
			}
			schema.putArray("anyOf").add(toolCalls)
					.add(object("response", Json.MAPPER.createObjectNode().put("type", "string")));
		}
		String instruction = optional
				? "To call tools, reply with JSON only: {\"tool_calls\": [{\"name\": \"<tool name>\", \"arguments\": {<arguments>}}]}. "
						+ "To answer directly, reply with JSON only: {\"response\": \"<your answer>\"}."
				: "Reply with JSON only, calling the tools: {\"tool_calls\": [{\"name\": \"<tool name>\", \"arguments\": {<arguments>}}]}.";
		return new OutputFormat(Kind.TOOLS, grammar(engine, schema, "tools"), instruction);
	}

	/** Every tool's parameters, checked and fitted to the budget (all of them: the template shows all). */
	private static Map<String, JsonNode> fitted(ChatRequest r, int budget) {
		Map<String, JsonNode> fitted = new HashMap<>();
		for (int i = 0; i < r.tools().size(); i++) {
			String param = "tools[" + i + "].function.parameters";
			JsonNode p = parameters(r.tools().get(i));
			SchemaCheck.check(p, param);
			SchemaBounds.fit(p, budget, param);
			fitted.put(r.tools().get(i).name(), p);
		}
		return fitted;
	}

	/** The tools the choice offers, by name in order, with their fitted argument schemas. */
	private static Map<String, JsonNode> offered(ChatRequest r, ToolChoice choice, Map<String, JsonNode> fitted) {
		Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
		for (ToolDefinition t : r.tools()) {
			if (choice.mode() != ToolChoice.Mode.FUNCTION || t.name().equals(choice.function())) {
				out.put(t.name(), fitted.get(t.name()));
			}
		}
		return out;
	}

	/** One call of an offered tool: {"name": const, "arguments": its schema}, any of them; {@code $defs} hoisted. */
	private static ObjectNode callSchema(ChatRequest r, ToolChoice choice, Map<String, JsonNode> fitted) {
		List<ToolDefinition> offered = r.tools();
		if (choice.mode() == ToolChoice.Mode.FUNCTION) {
			offered = r.tools().stream().filter(t -> t.name().equals(choice.function())).toList();
			if (offered.isEmpty()) {
				throw ApiException.invalidRequest("tool_choice names the function '" + choice.function()
						+ "', which is not among the tools", "tool_choice");
			}
		}
		ArrayNode variants = Json.MAPPER.createArrayNode();
		ObjectNode definitions = Json.MAPPER.createObjectNode();
		for (int i = 0; i < offered.size(); i++) {
			ToolDefinition t = offered.get(i);
			ObjectNode call = variants.addObject().put("type", "object").put("additionalProperties", false);
			ObjectNode props = call.putObject("properties");
			props.putObject("name").put("const", t.name());
			props.set("arguments", hoistDefinitions(fitted.get(t.name()).deepCopy(), "t" + i + "_", definitions));
			call.putArray("required").add("name").add("arguments");
		}
		ObjectNode schema = Json.MAPPER.createObjectNode();
		schema.set("anyOf", variants);
		if (!definitions.isEmpty()) {
			schema.set("$defs", definitions);
		}
		return schema;
	}

	/**
	 * Each tool's {@code $defs}/{@code definitions} move to the root of the combined schema under a prefix, with
	 * the references rewritten: "#/$defs/X" in a tool's parameters no longer resolves once they are nested.
	 */
	private static JsonNode hoistDefinitions(JsonNode node, String prefix, ObjectNode definitions) {
		if (node.isObject()) {
			ObjectNode o = (ObjectNode) node;
			for (String key : new String[] { "$defs", "definitions" }) {
				JsonNode defs = o.remove(key);
				if (defs != null && defs.isObject()) {
					defs.fields().forEachRemaining(e -> definitions.set(prefix + e.getKey(),
							hoistDefinitions(e.getValue(), prefix, definitions)));
				}
			}
			JsonNode ref = o.get("$ref");
			if (ref != null && ref.isTextual()) {
				o.put("$ref", ref.asText().replaceFirst("^#/(\\$defs|definitions)/", "#/\\$defs/" + prefix));
			}
			o.fields().forEachRemaining(e -> e.setValue(hoistDefinitions(e.getValue(), prefix, definitions)));
		} else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				((ArrayNode) node).set(i, hoistDefinitions(node.get(i), prefix, definitions));
			}
		}
		return node;
	}

	/** Each tool's parameter schema by its name. */
	static Map<String, JsonNode> parametersByName(ChatRequest r) {
		Map<String, JsonNode> out = new HashMap<>();
		r.tools().forEach(t -> out.put(t.name(), parameters(t)));
		return out;
	}

	/** A tool's parameter schema; a tool without one takes an object. */
	static JsonNode parameters(ToolDefinition t) {
		return t.parameters() == null || t.parameters().isEmpty() ? Json.MAPPER.createObjectNode().put("type", "object")
				: Json.MAPPER.valueToTree(t.parameters());
	}

	private static ObjectNode object(String key, ObjectNode value) {
		ObjectNode o = Json.MAPPER.createObjectNode().put("type", "object").put("additionalProperties", false);
		o.putObject("properties").set(key, value);
		o.putArray("required").add(key);
		return o;
	}

	/**
	 * The grammar, with JSON whitespace limited to single spaces: llama.cpp's default allows newlines and
	 * indentation, which weak models fill with whitespace instead of content.
	 */
	private static String grammar(LlamaEngine engine, JsonNode schema, String param) {
		String text;
		try {
			String json = Json.MAPPER.writeValueAsString(schema);
			if (json.length() > MAX_SCHEMA_CHARS) {
				throw ApiException.invalidRequest("The JSON schemas in " + param + " take " + json.length()
						+ " characters; at most " + MAX_SCHEMA_CHARS + " are turned into a grammar", param);
			}
			text = engine.grammarOf(json);
		} catch (ApiException e) {
			throw e;
		} catch (Exception e) {
			throw ApiException.invalidRequest("The JSON schema in " + param + " cannot be turned into a grammar: "
					+ e.getMessage(), param);
		}
		if (text == null || text.isBlank()) {
			throw ApiException.invalidRequest("The JSON schema in " + param + " cannot be turned into a grammar", param);
		}
		if (text.length() > MAX_GRAMMAR_CHARS) {
			throw ApiException.invalidRequest("The JSON schema in " + param + " makes a grammar of " + text.length()
					+ " characters; at most " + MAX_GRAMMAR_CHARS + " are allowed (simplify the schema)", param);
		}
		return text.replaceAll("(?m)^space ::= .*$", "space ::= | \" \"");
	}
}
