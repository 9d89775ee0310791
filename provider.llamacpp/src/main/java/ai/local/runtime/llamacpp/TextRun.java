package ai.local.runtime.llamacpp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.Sampling;
import ai.local.runtime.llamacpp.engine.FimTokens;
import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;

/**
 * One text completion without the chat template, top to bottom: prompt tokens (the text as written, or the
 * model's fill-in-the-middle frame around prefix and suffix) → slot → llama.cpp task → pieces to the sink, stop
 * strings applied → finish with real token counts.
 */
final class TextRun {
	private final LoadedModel model;
	private final LlamaSettings settings;
	private final BooleanSupplier stopping;

	TextRun(LoadedModel model, LlamaSettings settings, BooleanSupplier stopping) {
		this.model = model;
		this.settings = settings;
		this.stopping = stopping;
	}

	void run(CompletionRequest request, ChatSink sink) {
		Sampling s = request.sampling();
		int maxTokens = s.maxTokens() != null ? s.maxTokens() : settings.maxNewTokens();
		int[] prompt = request.tokenized() ? ids(request) : request.infill() ? infill(model.handle(), model.id(), request)
				: model.handle().tokenize(request.prompt(), true);
		if (prompt.length == 0) {
			throw ApiException.invalidRequest("The prompt is empty and the model adds no start token: nothing to continue",
					"prompt");
		}
		if (prompt.length >= model.slotContext()) {
			throw ApiException.invalidRequest("The prompt has " + prompt.length + " tokens; the context of a slot holds "
					+ model.slotContext(), "prompt");
		}
		int predict = Math.min(maxTokens, model.slotContext() - prompt.length);
		// the slot whose cache shares the longest prefix, by text: a prompt of ids finds the slot its text left
		String key = (request.tokenized() ? text(prompt) : request.prompt())
				+ (request.suffix() == null ? "" : request.suffix()) + (request.middle() == null ? "" : request.middle());
		SlotPool.Lease slot = model.slots().acquire(key, null, Duration.ofSeconds(settings.queueTimeoutSeconds()),
				sink::cancelled);
		StringBuilder generated = new StringBuilder();
		try {
			if (sink.cancelled()) {
				return;
			}
			Generation generation = Generations.start(model.handle(), new GenerateSpec(prompt, predict, slot.slot(),
					!Boolean.FALSE.equals(request.extra().get("cache_prompt")), RequestSampler.of(settings, s, request.extra()),
					UserGrammar.of(request.extra().get("grammar")), Boolean.TRUE.equals(request.extra().get("ignore_eos")),
					false, new int[0],
					Generations.logprobs(request.extra()), Generations.promptLogprobs(request.extra())));
			StopMatcher stops = new StopMatcher(s.stop());
			boolean cut = Generations.drain(generation, prompt.length, sink, stopping, generated, piece -> {
				String text = stops.accept(piece);
				if (!text.isEmpty()) {
					sink.text(text);
				}
				return stops.stopped();
			});
			if (sink.cancelled()) {
				return;
			}
			if (!stops.stopped()) {
				String rest = stops.flush();
				if (!rest.isEmpty()) {
					sink.text(rest);
				}
			}
			boolean limit = !cut && generation.hitLimit();
			sink.finish(limit ? FinishReason.LENGTH : FinishReason.STOP, Generations.usage(prompt.length, generation));
		} finally {
			model.slots().release(slot, key + generated);
		}
	}

	private static int[] ids(CompletionRequest request) {
		if (request.infill()) {
			throw ApiException.invalidRequest("A prompt of token ids takes no suffix: give the prefix as text for "
					+ "fill-in-the-middle", "suffix");
		}
		return request.promptTokens().stream().mapToInt(Integer::intValue).toArray();
	}

	/** The text of a prompt given as ids; an id outside the vocabulary is the caller's 400. */
	private String text(int[] ids) {
		try {
			return model.handle().detokenize(ids);
		} catch (IllegalArgumentException e) {
			throw ApiException.invalidRequest("prompt: " + e.getMessage(), "prompt");
		}
	}

	/**
	 * llama-server's infill prompt: the extra files (each after the file separator), then prefix, suffix, the
	 * middle token and what of the middle is already written, in the model's own FIM tokens; the texts as plain
	 * text, never as special tokens.
	 */
	static int[] infill(LlamaModelHandle handle, String modelId, CompletionRequest request) {
		FimTokens fim = handle.fim();
		if (!fim.present()) {
			throw ApiException.invalidRequest("The model '" + modelId + "' has no fill-in-the-middle tokens (a code "
					+ "model such as Qwen2.5-Coder, StarCoder2, DeepSeek-Coder or CodeLlama has them)", "model");
		}
		List<Integer> ids = new ArrayList<>();
		for (int t : handle.tokenize("", true)) {
			ids.add(t); // the start token, where the vocabulary wants one
		}
		for (String extra : request.extraContext()) {
			if (fim.fileSeparator() >= 0) {
				ids.add(fim.fileSeparator());
			}
			add(ids, handle.tokenize(extra, false));
		}
		ids.add(fim.prefix());
		add(ids, handle.tokenize(request.prompt(), false));
		ids.add(fim.suffix());
		add(ids, handle.tokenize(request.suffix() == null ? "" : request.suffix(), false));
		ids.add(fim.middle());
		if (request.middle() != null) {
			add(ids, handle.tokenize(request.middle(), false));
		}
		return ids.stream().mapToInt(Integer::intValue).toArray();
	}

	private static void add(List<Integer> ids, int[] tokens) {
		for (int t : tokens) {
			ids.add(t);
		}
	}
}
