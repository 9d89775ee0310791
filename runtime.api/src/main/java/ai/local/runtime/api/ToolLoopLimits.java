package ai.local.runtime.api;

import java.time.Duration;

/**
 * Limits and options of one server-side tool run.
 *
 * @param maxSteps model calls at most (default 6)
 * @param maxToolCalls tool calls at most (default 16)
 * @param toolTimeout time allowed for one tool call; null = the tool loop's configured default
 * @param planner plan first, then run the plan
 * @param trace record each step for the {@code x-runtime-trace} header
 * @param maxPlanSteps tool calls a plan may hold (default 4)
 * @param maxRewrites how often an invalid plan is sent back to the model to be fixed before the planner falls
 *        back to the loop (default 2)
 */
public record ToolLoopLimits(int maxSteps, int maxToolCalls, Duration toolTimeout, boolean planner, boolean trace,
		int maxPlanSteps, int maxRewrites) {

	public static final ToolLoopLimits DEFAULTS = new ToolLoopLimits(6, 16, null, false, false, 4, 2);

	public ToolLoopLimits(int maxSteps, int maxToolCalls, Duration toolTimeout, boolean planner, boolean trace) {
		this(maxSteps, maxToolCalls, toolTimeout, planner, trace, 4, 2);
	}
}
