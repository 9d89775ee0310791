package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.api.Usage;
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
		ChatPrompt prompt = ChatPrompt.build(model.handle(), model.templateRules(), request, format,
				model.slotContext(), maxTokens);
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
			Generation generation = model.handle().generate(parameters(prompt, predict, slot.slot(), s, request.extra()));
			Output output = new Output(sink, format, s);
			int pieces = 0;
			boolean cut = false;
			for (String piece; (piece = generation.next()) != null;) {
				pieces++;
				generated.append(piece);
				if (sink.cancelled() || stopping.getAsBoolean() || output.accept(piece)) {
					generation.cancel();
					cut = true;
					break;
				}
			}
			if (stopping.getAsBoolean() && !sink.cancelled()) {
				throw ApiException.unavailable("The llama.cpp provider is stopping; the completion was cut short", null);
			}
			if (sink.cancelled()) {
				return;
			}
			// one piece per token; llama.cpp merges only the tokens of a UTF-8 character split between them
			FinishReason reason = output.end(!cut && pieces >= predict);
			sink.finish(reason, new Usage(prompt.tokens(), pieces));
		} finally {
			model.slots().release(slot, prompt.text() + generated);
		}
	}

	private String parameters(ChatPrompt prompt, int predict, int slot, Sampling s, Map<String, Object> extra) {
		ObjectNode p = Json.MAPPER.createObjectNode();
		p.put("prompt", prompt.text());
		p.put("n_predict", predict);
		p.put("id_slot", slot);
		// llama-server's extension: cache_prompt false re-evaluates the whole prompt (a baseline for benchmarks)
		p.put("cache_prompt", !Boolean.FALSE.equals(extra.get("cache_prompt")));
		p.put("stream", true);
		p.put("n_probs", 0);
		p.put("temperature", s.temperature() != null ? s.temperature() : settings.temperature());
		p.put("top_p", s.topP() != null ? s.topP() : settings.topP());
		p.put("min_p", s.minP() != null ? s.minP() : settings.minP());
		if (s.topK() != null) {
			p.put("top_k", s.topK());
		}
		Long seed = s.seed() != null ? s.seed() : settings.seed();
		// llama.cpp takes a 32-bit seed; without one, a random one per request (as OpenAI)
		p.put("seed", seed != null ? seed & 0xffffffffL : ThreadLocalRandom.current().nextInt() & 0xffffffffL);
		if (s.presencePenalty() != null) {
			p.put("presence_penalty", s.presencePenalty());
		}
		if (s.frequencyPenalty() != null) {
			p.put("frequency_penalty", s.frequencyPenalty());
		}
		if (s.repeatPenalty() != null) {
			p.put("repeat_penalty", s.repeatPenalty());
		}
		if (format.grammar() != null) {
			p.put("grammar", format.grammar());
		}
		if (Boolean.TRUE.equals(extra.get("ignore_eos"))) {
			p.put("ignore_eos", true); // llama-server's extension: generate max_tokens whatever the model says
		}
		return p.toString();
	}

	/** Turns generated pieces into sink calls according to the output format. */
	private static final class Output {
		private final ChatSink sink;
		private final OutputFormat format;
		private final StopMatcher stops;
		private final ToolCallReader tools;
		private final StringBuilder json;

		Output(ChatSink sink, OutputFormat format, Sampling s) {
			this.sink = sink;
			this.format = format;
			this.stops = new StopMatcher(s.stop());
			this.tools = format.kind() == OutputFormat.Kind.TOOLS ? new ToolCallReader(sink) : null;
			this.json = format.kind() == OutputFormat.Kind.JSON ? new StringBuilder() : null;
		}

		private static boolean wholeJson(CharSequence text) {
			try {
				Json.MAPPER.readTree(text.toString());
				return true;
			} catch (IOException cut) {
				return false;
			}
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
				sink.text(text);
			}
			return stops.stopped();
		}

		FinishReason end(boolean hitLimit) {
			if (tools == null && !stops.stopped()) {
				String rest = stops.flush();
				if (!rest.isEmpty()) {
					sink.text(rest);
				}
			}
			if (hitLimit || tools != null && !tools.complete() || json != null && !wholeJson(json)) {
				// cut output is "length" whatever was being generated: a call with unterminated arguments is no call
				return FinishReason.LENGTH;
			}
			return tools != null && tools.calls() > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP;
		}
	}
}
