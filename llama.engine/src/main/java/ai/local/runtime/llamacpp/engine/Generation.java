package ai.local.runtime.llamacpp.engine;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A running completion. {@link #next()} is called by one consumer thread; {@link #cancel()} may come from any
 * thread and frees the slot at the next token.
 */
@ProviderType
public interface Generation {

	/**
	 * The next piece of text (one token's, or several when a UTF-8 character spans them); null at the end.
	 * Fails with an {@link IllegalStateException} when llama.cpp could not go on (e.g. the model was unloaded).
	 */
	String next() throws InterruptedException;

	/**
	 * The log-probabilities of the tokens generated since the last call, in order, when the spec asked for them
	 * ({@link GenerateSpec#logprobs()}); empty otherwise. Called by the consumer thread, after {@link #next()}: the
	 * entries of a piece's tokens are there when the piece is.
	 *
	 * @since 2.2
	 */
	default List<Logprob> logprobs() {
		return List.of();
	}

	/**
	 * The prompt's log-probabilities when the spec asked for them ({@link GenerateSpec#promptLogprobs()}), one per
	 * prompt token, the first one's {@link Float#NaN}; empty otherwise. Whole once {@link #next()} has returned
	 * the first piece or the end.
	 *
	 * @since 2.3
	 */
	default List<Logprob> promptLogprobs() {
		return List.of();
	}

	/** Stops generating. */
	void cancel();

	/** Tokens generated so far. */
	int tokens();

	/** Prompt tokens that were already in the slot's KV cache and not decoded again. */
	int reusedTokens();

	/**
	 * Nanoseconds from the decode loop taking the sequence up to its first sampled token: reading the part of the
	 * prompt the cache did not hold (llama-server's {@code prompt_ms}); 0 before that.
	 *
	 * @since 2.3
	 */
	default long promptNanos() {
		return 0;
	}

	/**
	 * Nanoseconds from the first sampled token to the end (llama-server's {@code predicted_ms}); 0 before the end.
	 *
	 * @since 2.3
	 */
	default long generationNanos() {
		return 0;
	}

	/** Whether it ended because {@code maxTokens} were generated. */
	boolean hitLimit();
}
