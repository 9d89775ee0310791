package ai.local.runtime.llamacpp.engine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A running completion, consumed by one thread. {@link #cancel()} must come from that same thread: a cancel
 * from another thread leaves the consumer blocked forever in java-llama.cpp 4.2.0.
 */
@ConsumerType
public interface Generation {

	/** The next piece of text (one token, or several when a UTF-8 character spans them); null at the end. */
	String next();

	/** Stops generating and frees the slot. */
	void cancel();
}
