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

	/** Stops generating. */
	void cancel();

	/** Tokens generated so far. */
	int tokens();

	/** Prompt tokens that were already in the slot's KV cache and not decoded again. */
	int reusedTokens();

	/** Whether it ended because {@code maxTokens} were generated. */
	boolean hitLimit();
}
