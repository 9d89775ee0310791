package ai.local.runtime.llamacpp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.Usage;
import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.Logprob;

/** Starting a llama.cpp task and running it to its end, as chat and text completions both do. */
final class Generations {
	private Generations() {
	}

	/** The task; a spec llama.cpp refuses (a token outside the vocabulary, a grammar it cannot parse) is a 400. */
	static Generation start(LlamaModelHandle model, GenerateSpec spec) {
		try {
			return model.generate(spec);
		} catch (IllegalArgumentException e) {
			throw ApiException.invalidRequest(e.getMessage(), null);
		}
	}

	/**
	 * Hands each generated piece to {@code stop} (which says true to end it there) and keeps all of them in
	 * {@code generated}, until the end, the client leaving or the provider stopping; true when it was cut short.
	 */
	static boolean drain(Generation generation, int promptTokens, ChatSink sink, BooleanSupplier stopping,
			StringBuilder generated, Predicate<String> stop) {
		boolean cut = false;
		boolean promptSent = false;
		try {
			for (String piece; (piece = generation.next()) != null;) {
				if (!promptSent) {
					promptSent = true;
					promptRead(generation, promptTokens, sink);
				}
				generated.append(piece);
				logprobs(generation, sink);
				if (sink.cancelled() || stopping.getAsBoolean() || stop.test(piece)) {
					generation.cancel();
					cut = true;
					break;
				}
			}
		} catch (IllegalStateException e) {
			throw ApiException.unavailable("llama.cpp could not go on: " + e.getMessage(), null);
		} catch (InterruptedException e) {
			generation.cancel();
			Thread.currentThread().interrupt();
			throw ApiException.unavailable("Interrupted while generating", null);
		}
		if (stopping.getAsBoolean() && !sink.cancelled()) {
			throw ApiException.unavailable("The llama.cpp provider is stopping; the completion was cut short", null);
		}
		if (!promptSent) {
			promptRead(generation, promptTokens, sink);
		}
		logprobs(generation, sink);
		return cut;
	}

	/** The prompt is read (at the first piece, or the end): its size and log-probabilities to the sink. */
	private static void promptRead(Generation generation, int promptTokens, ChatSink sink) {
		sink.prompt(promptTokens, generation.reusedTokens());
		List<Logprob> prompt = generation.promptLogprobs();
		if (!prompt.isEmpty()) {
			sink.promptLogprobs(prompt.stream().map(Generations::token).toList());
		}
	}

	/** The counts and times of a finished generation of a {@code promptTokens}-token prompt. */
	static Usage usage(int promptTokens, Generation generation) {
		return new Usage(promptTokens, generation.tokens(), generation.reusedTokens(), generation.promptNanos(),
				generation.generationNanos());
	}

	/** How many top tokens the request wants with each generated token's log-probability; -1 for none. */
	static int logprobs(Map<String, Object> extra) {
		return topCount(extra, TokenLogprob.REQUEST);
	}

	/** The same for each prompt token's; -1 for none. */
	static int promptLogprobs(Map<String, Object> extra) {
		return topCount(extra, TokenLogprob.PROMPT_REQUEST);
	}

	private static int topCount(Map<String, Object> extra, String key) {
		Object n = extra.get(key);
		if (n == null) {
			return -1;
		}
		if (!(n instanceof Number number) || number.intValue() < 0 || number.intValue() > GenerateSpec.MAX_TOP_LOGPROBS) {
			throw ApiException.invalidRequest("top_logprobs must be a whole number from 0 to "
					+ GenerateSpec.MAX_TOP_LOGPROBS, "top_logprobs");
		}
		return number.intValue();
	}

	/** The log-probabilities of the tokens generated so far, to the sink. */
	private static void logprobs(Generation generation, ChatSink sink) {
		List<Logprob> engine = generation.logprobs();
		if (!engine.isEmpty()) {
			sink.logprobs(engine.stream().map(Generations::token).toList());
		}
	}

	private static TokenLogprob token(Logprob l) {
		return new TokenLogprob(new String(l.bytes(), StandardCharsets.UTF_8), l.logprob(), l.bytes(),
				l.top().stream().map(Generations::token).toList(), l.token());
	}
}
