package ai.local.runtime.llamacpp;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.Generation;

/**
 * One chat completion on a loaded model, top to bottom: prompt (template, tools, context fitting) → slot →
 * llama.cpp task → pieces to the sink as they are generated → finish with real token counts. The loop runs on
 * the caller's thread, which is also the only thread that may cancel the task (client gone, stop string,
 * provider stopping).
 */
final class ChatRun {
	private final LoadedModel model;
	private final LlamaSettings settings;
	private final OutputFormat format;
	private final BooleanSupplier stopping;

	ChatRun(LoadedModel model, LlamaSettings settings, OutputFormat format, BooleanSupplier stopping) {
		this.model = model;
		this.settings = settings;
		this.format = format;
		this.stopping = stopping;
	}

	void run(ChatRequest request, ChatSink sink) {
		Sampling s = request.sampling();
		int maxTokens = s.maxTokens() != null ? s.maxTokens() : settings.maxNewTokens();
		if (maxTokens < 1) {
			throw ApiException.invalidRequest("max_tokens must be at least 1", "max_tokens");
		}
		ModelTemplate template = model.template().pick(request);
		ChatPrompt prompt = ChatPrompt.build(model.handle(), template, request, format, model.slotContext(), maxTokens);
		// the model's own syntax is parsed from what it writes: its tool calls, its reasoning
		boolean parsed = template.jinja() != null && (format.kind() == OutputFormat.Kind.NATIVE_TOOLS
				|| format.kind() == OutputFormat.Kind.TEXT && (template.think() != null || template.syntax() == ToolSyntax.HARMONY));
		if (prompt.droppedMessages() > 0) {
			sink.note("context-trimmed", prompt.droppedMessages() + " oldest messages dropped to fit "
					+ model.slotContext() + " tokens");
		}
		int predict = Math.min(maxTokens, model.slotContext() - prompt.tokens());
		SlotPool.Lease slot = model.slots().acquire(prompt.text(), request.sessionId(),
				Duration.ofSeconds(settings.queueTimeoutSeconds()), sink::cancelled);
		StringBuilder generated = new StringBuilder();
		try {
			if (sink.cancelled()) {
				return;
			}
			// llama-server's request extensions: cache_prompt false decodes the whole prompt again (a baseline for
			// benchmarks), ignore_eos generates max_tokens whatever the model says
			Generation generation = Generations.start(model.handle(), new GenerateSpec(prompt.ids(), predict, slot.slot(),
					!Boolean.FALSE.equals(request.extra().get("cache_prompt")), RequestSampler.of(settings, s, request.extra()),
					format.grammar(), Boolean.TRUE.equals(request.extra().get("ignore_eos")), parsed, format.grammarTriggers(),
					Generations.logprobs(request.extra())));
			ModelOutput parser = null;
			if (parsed) {
				String[] think = template.think();
				boolean opensThink = think != null && prompt.text().stripTrailing().endsWith(think[0]);
				ToolCallScanner scanner = new ToolCallScanner(template.syntax(), OutputFormat.parametersByName(request));
				parser = new ModelOutput(sink, format.kind() == OutputFormat.Kind.NATIVE_TOOLS ? template.syntax() : null,
						scanner, think, opensThink, template.syntax() == ToolSyntax.HARMONY,
						!Boolean.FALSE.equals(request.parallelToolCalls()));
			}
			Output output = new Output(sink, format, s, parser);
			boolean cut = Generations.drain(generation, prompt.tokens(), sink, stopping, generated, output::accept);
			if (sink.cancelled()) {
				return;
			}
			FinishReason reason = output.end(!cut && generation.hitLimit());
			sink.finish(reason, Generations.usage(prompt.tokens(), generation));
		} finally {
			model.slots().release(slot, prompt.text() + generated);
		}
	}

	/** Turns generated pieces into sink calls according to the output format. */
	private static final class Output {
		private final ChatSink sink;
		private final OutputFormat format;
		private final StopMatcher stops;
		private final ToolCallReader tools;
		private final StringBuilder json;
		private final ModelOutput parsed;

		Output(ChatSink sink, OutputFormat format, Sampling s, ModelOutput parsed) {
			this.sink = sink;
			this.format = format;
			this.parsed = parsed;
			this.stops = new StopMatcher(s.stop());
			this.tools = format.kind() == OutputFormat.Kind.TOOLS ? new ToolCallReader(sink) : null;
			this.json = format.kind() == OutputFormat.Kind.JSON ? new StringBuilder() : null;
		}

		/** True when a stop string ended the completion. */
		boolean accept(String piece) {
			if (tools != null) {
				tools.accept(piece);
				return false;
			}
			if (json != null) {
				json.append(piece);
				sink.text(piece);
				return false;
			}
			String text = stops.accept(piece);
			if (!text.isEmpty()) {
				if (parsed != null) {
					parsed.accept(text);
				} else {
					sink.text(text);
				}
			}
			return stops.stopped();
		}

		FinishReason end(boolean hitLimit) {
			if (parsed != null) {
				if (!stops.stopped()) {
					String rest = stops.flush();
					if (!rest.isEmpty()) {
						parsed.accept(rest);
					}
				}
				parsed.end();
				if (hitLimit || !parsed.callsComplete()) {
					return FinishReason.LENGTH;
				}
				return parsed.calls() > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP;
			}
			if (tools == null && !stops.stopped()) {
				String rest = stops.flush();
				if (!rest.isEmpty()) {
					sink.text(rest);
				}
			}
			if (hitLimit || tools != null && !tools.complete() || json != null && !Json.parses(json)) {
				// cut output is "length" whatever was being generated: a call with unterminated arguments is no call
				return FinishReason.LENGTH;
			}
			return tools != null && tools.calls() > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP;
		}
	}
}
