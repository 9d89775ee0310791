package ai.local.runtime.toolloop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

/**
 * Reads a plan the model wrote, {@code {"steps": [{"tool": NAME, "arguments": {...}}]}}, and checks it: the JSON
 * itself, the number of steps, each tool against the allowlist, each step's arguments against its tool's JSON
 * Schema. Each problem is one sentence the rewrite prompt hands back to the model.
 */
final class PlanCheck {
	private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
	private static final Map<Map<String, Object>, Schema> COMPILED = new ConcurrentHashMap<>();

	/** One planned call. */
	record Planned(String tool, String arguments) {
	}

	/** The steps, when {@code problems} is empty. */
	record Result(List<Planned> steps, List<String> problems) {
		boolean valid() {
			return problems.isEmpty();
		}
	}

	private PlanCheck() {
	}

	static Result check(String text, ToolBox box, int maxSteps) {
		List<String> problems = new ArrayList<>();
		List<Planned> steps = new ArrayList<>();
		JsonNode plan = json(text);
		if (plan == null || !plan.isObject() || !plan.path("steps").isArray()) {
			problems.add("The plan must be a JSON object {\"steps\": [{\"tool\": ..., \"arguments\": {...}}]}.");
			return new Result(steps, problems);
		}
		JsonNode list = plan.get("steps");
		if (list.size() > maxSteps) {
			problems.add("The plan has " + list.size() + " steps; at most " + maxSteps + " are allowed.");
		}
		for (int i = 0; i < list.size(); i++) {
			JsonNode step = list.get(i);
			String tool = step.path("tool").asText(step.path("name").asText(""));
			JsonNode arguments = step.has("arguments") ? step.get("arguments") : step.path("parameters");
			if (arguments.isMissingNode() || arguments.isNull()) {
				arguments = TextToolCalls.JSON.createObjectNode();
			}
			String at = "Step " + (i + 1);
			if (!box.isServerTool(tool)) {
				problems.add(at + " uses tool '" + tool + "', which is not available.");
				continue;
			}
			if (!arguments.isObject()) {
				problems.add(at + ": the arguments of '" + tool + "' must be a JSON object.");
				continue;
			}
			Map<String, Object> schema = box.schema(tool);
			if (schema != null && !schema.isEmpty()) {
				for (Error e : COMPILED.computeIfAbsent(schema, PlanCheck::compile).validate(arguments)) {
					problems.add(at + " (" + tool + "): " + e.getMessage());
				}
			}
			steps.add(new Planned(tool, arguments.toString()));
		}
		return new Result(problems.isEmpty() ? steps : List.of(), problems);
	}

	/** The JSON object in the text: as is, fenced in ```, or between its first '{' and last '}'. */
	private static JsonNode json(String text) {
		String t = text.strip();
		int start = t.indexOf('{');
		int end = t.lastIndexOf('}');
		if (start < 0 || end < start) {
			return null;
		}
		try {
			return TextToolCalls.JSON.readTree(t.substring(start, end + 1));
		} catch (JsonProcessingException e) {
			return null;
		}
	}

	private static Schema compile(Map<String, Object> schema) {
		return SCHEMAS.getSchema(TextToolCalls.JSON.valueToTree(schema));
	}
}
