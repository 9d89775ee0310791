package ai.local.runtime.toolloop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.ToolChoice;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolLoopLimits;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.api.ToolResult;
import ai.local.runtime.api.Usage;

/**
 * The state one server-side run shares between its parts: the conversation it adds to, the tokens and tool calls
 * spent, the trace. It makes model calls ({@link #model}) and runs tool calls ({@link #runTools}) the same way
 * for the loop and the planner.
 */
final class Run {
	final ChatProvider provider;
	final ChatRequest request;
	final ToolLoopLimits limits;
	final ChatSink client;
	final ToolBox box;
	final Trace trace;
	final boolean nativeTools;
	final IdSource ids = new IdSource();
	final List<ChatMessage> transcript = new ArrayList<>();
	private Usage usage = Usage.NONE;
	private int toolCalls;
	private int streamedCalls;
	private int steps;

	Run(ChatProvider provider, ChatRequest request, ToolLoopLimits limits, ChatSink sink, ToolBox box) {
		this.provider = provider;
		this.request = request;
		this.limits = limits;
		this.client = sink == null ? NoClient.INSTANCE : sink;
		this.box = box;
		this.trace = new Trace(limits.trace(), client);
		this.nativeTools = provider.capabilities().contains(Capability.TOOLS);
	}

	boolean streaming() {
		return client != NoClient.INSTANCE;
	}

	int toolCalls() {
		return toolCalls;
	}

	int steps() {
		return steps;
	}

	/**
	 * One model call on the conversation so far plus {@code extra} (not kept), offered {@code tools}. Streams to
	 * the client unless {@code quiet} (a planning call the client must not see).
	 */
	Step model(List<ChatMessage> extra, List<ToolDefinition> tools, ToolChoice choice, ResponseFormat format,
			boolean quiet) {
		steps++;
		Set<String> allowed = names(tools);
		List<ChatMessage> messages = new ArrayList<>(request.messages());
		messages.addAll(transcript);
		messages.addAll(extra);
		if (!nativeTools) {
			messages = ToolPrompt.render(messages, tools);
			tools = List.of();
			choice = null;
		}
		// no tools offered means no tool choice to make
		ChatRequest call = new ChatRequest(request.model(), messages, tools, tools.isEmpty() ? null : choice,
				request.parallelToolCalls(), format, request.sampling(), request.sessionId(), request.user(),
				request.extra(), request.callerKey());
		ChatSink target = quiet ? NoClient.INSTANCE : client;
		StepSink sink = new StepSink(target, streamedCalls, ids);
		long t0 = System.nanoTime();
		if (streaming() && !quiet) {
			provider.stream(call, sink);
		} else {
			replay(provider.chat(call), sink);
		}
		Step step = sink.step(allowed, (System.nanoTime() - t0) / 1_000_000);
		if (!quiet) {
			streamedCalls += step.calls().size();
		}
		usage = usage.plus(step.usage());
		trace.add("step", steps, "kind", "model", "purpose", quiet ? "plan" : null, "finish",
				step.finish() == null ? null : step.finish().wireName(), "tool_calls",
				step.calls().isEmpty() ? null : step.calls().stream().map(ToolCall::name).toList(), "ms", step.millis());
		return step;
	}

	/**
	 * Runs the server tools among {@code calls} (at once, in parallel) and adds their results to the conversation,
	 * in call order. Calls past {@code max_tool_calls} and calls of tools the request did not name get an error
	 * result the model can read. Client tools are left for the client.
	 */
	void runTools(List<ToolCall> calls) {
		List<ToolCall> server = calls.stream().filter(c -> !box.isClientTool(c.name())).toList();
		if (server.isEmpty()) {
			return;
		}
		client.note("tool-running", server.stream().map(ToolCall::name).collect(Collectors.joining(", ")));
		List<Future<ToolBox.Outcome>> running = new ArrayList<>();
		for (ToolCall c : server) {
			if (toolCalls >= limits.maxToolCalls()) {
				running.add(null);
			} else {
				toolCalls++;
				running.add(box.start(c.name(), c.arguments()));
			}
		}
		for (int i = 0; i < server.size(); i++) {
			ToolCall c = server.get(i);
			ToolBox.Outcome o = running.get(i) == null
					? new ToolBox.Outcome(new ToolResult("not run: the limit of "
							+ limits.maxToolCalls() + " tool calls is reached; answer with what you have", true), null, 0)
					: box.await(c.name(), running.get(i));
			transcript.add(ChatMessage.tool(c.id(), o.result().content()));
			trace.add("step", steps, "kind", "tool", "tool", c.name(), "source", o.source(), "arguments",
					Trace.arguments(c.arguments()), "error", o.result().error(), "ms", o.millis(), "result",
					Trace.shorten(o.result().content()));
		}
	}

	/** A tool call announced to a streaming client the way a model's own call is, for calls a plan makes. */
	void announce(ToolCall call) {
		client.toolCall(ToolCallDelta.start(streamedCalls, call.id(), call.name()));
		client.toolCall(ToolCallDelta.arguments(streamedCalls, call.arguments()));
		streamedCalls++;
	}

	boolean limitReached() {
		return steps >= limits.maxSteps() - 1 || toolCalls >= limits.maxToolCalls();
	}

	/** Ends the run with {@code answer}: streamed runs finish the client's stream here. */
	ToolLoopResult finish(ChatMessage answer, FinishReason reason) {
		transcript.add(answer);
		client.finish(reason, usage);
		return new ToolLoopResult(new ChatResult(answer, reason, usage), transcript, trace.lines());
	}

	/** Ends the run with calls for the client to run; the conversation already holds the whole turn. */
	ToolLoopResult handBack(ChatMessage calls) {
		client.finish(FinishReason.TOOL_CALLS, usage);
		return new ToolLoopResult(new ChatResult(calls, FinishReason.TOOL_CALLS, usage), transcript, trace.lines());
	}

	private static void replay(ChatResult result, StepSink sink) {
		if (result.reasoning() != null) {
			sink.reasoning(result.reasoning());
		}
		sink.text(result.message().text());
		for (int i = 0; i < result.message().toolCalls().size(); i++) {
			ToolCall c = result.message().toolCalls().get(i);
			sink.toolCall(ToolCallDelta.start(i, c.id(), c.name()));
			sink.toolCall(ToolCallDelta.arguments(i, c.arguments()));
		}
		sink.finish(result.finishReason(), result.usage());
	}

	private static Set<String> names(List<ToolDefinition> tools) {
		return tools.stream().map(ToolDefinition::name).collect(Collectors.toSet());
	}
}
