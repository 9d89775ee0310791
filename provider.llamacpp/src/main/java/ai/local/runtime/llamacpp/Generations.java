package ai.local.runtime.llamacpp;

import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;

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
	static boolean drain(Generation generation, ChatSink sink, BooleanSupplier stopping, StringBuilder generated,
			Predicate<String> stop) {
		boolean cut = false;
		try {
			for (String piece; (piece = generation.next()) != null;) {
				generated.append(piece);
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
		return cut;
	}
}
