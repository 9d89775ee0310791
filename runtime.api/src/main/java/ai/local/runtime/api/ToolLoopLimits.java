package ai.local.runtime.api;

import java.time.Duration;

/**
 * Limits and options of one server-side tool run.
 *
 * @param maxSteps model calls at most (default 6)
 * @param maxToolCalls tool calls at most (default 16)
 * @param toolTimeout time allowed for one tool call
 * @param planner plan first, then run the plan
 * @param trace record each step for the {@code x-runtime-trace} header
 */
public record ToolLoopLimits(int maxSteps, int maxToolCalls, Duration toolTimeout, boolean planner, boolean trace) {

	public static final ToolLoopLimits DEFAULTS = new ToolLoopLimits(6, 16, Duration.ofSeconds(30), false, false);
}
