package ai.local.runtime.toolloop;

import java.util.List;

import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.Usage;

/** What one model call gave: its text, the tool calls it made (native or read from its text), why it ended. */
record Step(String text, List<ToolCall> calls, FinishReason finish, Usage usage, long millis) {
}
