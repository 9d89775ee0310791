package ai.local.runtime.toolloop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolLoopResult;

/**
 * The planner: the model first writes a plan of tool calls as JSON; the plan is checked against the allowlist
 * and the tools' schemas and, while it is wrong, handed back with the problems to be rewritten (at most
 * {@code max_rewrites} times); a plan that never comes right falls back to the tool loop. The planned calls then
 * run, and a last model call, offered no tools, summarises their results into the answer.
 */
final class PlanRun {
	static final String PLAN_FORMAT_NAME = "tool_plan";
	private static final ResponseFormat PLAN_FORMAT = new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA,
			PLAN_FORMAT_NAME,
			Map.of("type", "object", "required", List.of("steps"), "properties",
					Map.of("steps", Map.of("type", "array", "items", Map.of("type", "object", "required",
							List.of("tool", "arguments"), "properties",
							Map.of("tool", Map.of("type", "string"), "arguments", Map.of("type", "object")))))),
			false);

	private final Run run;

	PlanRun(Run run) {
		this.run = run;
	}

	ToolLoopResult run() {
		List<ToolDefinition> tools = run.box.definitions().stream().filter(t -> run.box.isServerTool(t.name()))
				.toList();
		List<ChatMessage> planning = new ArrayList<>();
		planning.add(ChatMessage.user(prompt(tools)));
		for (int attempt = 0;; attempt++) {
			Step step = run.model(planning, List.of(), null, PLAN_FORMAT, true);
			if (run.client.cancelled()) {
				return run.finish(ChatMessage.assistant("", List.of()), FinishReason.STOP);
			}
			PlanCheck.Result plan = PlanCheck.check(step.text(), run.box, run.limits.maxPlanSteps());
			run.trace.add("kind", "plan", "attempt", attempt + 1, "valid", plan.valid(), "steps",
					plan.steps().stream().map(PlanCheck.Planned::tool).toList(), "problems",
					plan.valid() ? null : plan.problems());
			if (plan.valid()) {
				return execute(plan.steps());
			}
			if (attempt >= run.limits.maxRewrites()) {
				run.trace.add("kind", "fallback", "reason", "no valid plan after " + (attempt + 1) + " attempts");
				return new LoopRun(run).run();
			}
			planning.add(ChatMessage.assistant(step.text(), List.of()));
			planning.add(ChatMessage.user(rewrite(plan.problems())));
		}
	}

	private ToolLoopResult execute(List<PlanCheck.Planned> steps) {
		if (!steps.isEmpty()) {
			List<ToolCall> calls = new ArrayList<>();
			for (PlanCheck.Planned p : steps) {
				ToolCall call = new ToolCall(run.ids.next(), p.tool(), p.arguments());
				calls.add(call);
				run.announce(call);
			}
			run.transcript.add(ChatMessage.assistant("", calls));
			run.runTools(calls);
		}
		Step summary = run.model(List.of(), List.of(), null, run.request.responseFormat(), false);
		FinishReason reason = summary.finish() == null || summary.finish() == FinishReason.TOOL_CALLS
				? FinishReason.STOP : summary.finish();
		return run.finish(ChatMessage.assistant(summary.text(), List.of()), reason);
	}

	private String prompt(List<ToolDefinition> tools) {
		StringBuilder s = new StringBuilder("Before answering, plan the tool calls needed for the request above. ")
				.append("The tools:\n");
		for (ToolDefinition t : tools) {
			s.append("- ").append(t.name());
			if (t.description() != null) {
				s.append(": ").append(t.description());
			}
			s.append("\n  arguments schema: ").append(ToolPrompt.json(t.parameters() == null ? Map.of() : t.parameters()))
					.append('\n');
		}
		return s.append("Answer with JSON only: {\"steps\": [{\"tool\": \"NAME\", \"arguments\": {...}}]}, at most ")
				.append(run.limits.maxPlanSteps()).append(" steps, in order; {\"steps\": []} when no tool is needed.")
				.toString();
	}

	private static String rewrite(List<String> problems) {
		return "That plan cannot run:\n- " + String.join("\n- ", problems)
				+ "\nWrite the corrected plan, JSON only, in the same form.";
	}
}
