package ai.local.runtime.llama.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;

import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.Logprob;

/**
 * One completion in the decode loop: its prompt (the part still to decode), its sampler chain, the position it
 * is at, and the queue its pieces go to. Fields without {@code volatile} belong to the loop thread.
 */
final class Sequence implements Generation {
	private static final Object END = new Object();

	final GenerateSpec spec;
	final int slot;
	final int maxTokens;
	private final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
	private final Utf8Joiner utf8 = new Utf8Joiner();
	private final Queue<Logprob> logprobs = new ConcurrentLinkedQueue<>();
	private volatile boolean cancelled;
	private volatile int generated;
	private volatile int reused;
	private volatile boolean hitLimit;
	private volatile List<Logprob> promptLogprobs = List.of();
	private volatile long promptNanos;
	private volatile long generationNanos;
	/** When the loop took it, then when its first token was sampled (System.nanoTime). */
	private long startedAt;
	private long sampledAt;
	private boolean ended;

	/** The sampler chain, without the grammar's part when there is one ({@link Samplers.Chains}). */
	MemorySegment chain;
	/** The logit bias and grammar, for a sequence with a grammar; else null. */
	MemorySegment constraint;
	/** The next prompt token to decode; == prompt length once the prompt is in the KV cache. */
	int promptAt;
	/** The position the next decoded token takes. */
	int pos;
	/** The token sampled last, decoded in the next step. */
	int next = -1;
	/** This step's index of the token whose logits are sampled, or -1. */
	int outputIndex = -1;
	/** For a sequence that wants its prompt's log-probabilities: those so far; where this step's prompt tokens start. */
	List<Logprob> promptSoFar;
	int chunkIndex = -1;
	int chunkFrom;
	int chunkLength;
	boolean finished;

	Sequence(GenerateSpec spec, int maxTokens) {
		this.spec = spec;
		this.slot = spec.slot();
		this.maxTokens = maxTokens;
	}

	boolean prompting() {
		return promptAt < spec.prompt().length;
	}

	boolean cancelled() {
		return cancelled;
	}

	void started(int reusedTokens) {
		reused = reusedTokens;
		startedAt = System.nanoTime();
	}

	/** Called for every sampled token; the first one ends the prompt's time. */
	private void sampled() {
		if (sampledAt == 0) {
			sampledAt = System.nanoTime();
			promptNanos = Math.max(1, sampledAt - startedAt);
		}
	}

	/** A sampled token's log-probability, before its bytes are emitted. */
	void logprob(Logprob l) {
		logprobs.add(l);
	}

	@Override
	public List<Logprob> logprobs() {
		if (logprobs.isEmpty()) {
			return List.of(); // asked after every piece: nothing allocated when there is nothing to give
		}
		List<Logprob> out = new ArrayList<>();
		for (Logprob l; (l = logprobs.poll()) != null;) {
			out.add(l);
		}
		return out;
	}

	/** The prompt's log-probabilities are whole: published before the first piece or the end. */
	void promptRead() {
		if (promptSoFar != null) {
			promptLogprobs = List.copyOf(promptSoFar);
			promptSoFar = null;
		}
	}

	@Override
	public List<Logprob> promptLogprobs() {
		return promptLogprobs;
	}

	/** A sampled token's bytes. */
	void emit(byte[] bytes) {
		sampled();
		generated++;
		String text = utf8.accept(bytes);
		if (!text.isEmpty()) {
			out.add(text);
		}
	}

	void end(boolean limit) {
		hitLimit = limit;
		if (startedAt != 0) {
			sampled(); // an answer that ended at its first token (end of generation) read its prompt all the same
			generationNanos = System.nanoTime() - sampledAt;
		}
		String rest = utf8.flush();
		if (!rest.isEmpty()) {
			out.add(rest);
		}
		out.add(END);
		finished = true;
	}

	void fail(String why) {
		out.add(new IllegalStateException(why));
		finished = true;
	}

	@Override
	public String next() throws InterruptedException {
		if (ended) {
			return null;
		}
		Object o = out.take();
		if (o == END) {
			ended = true;
			return null;
		}
		if (o instanceof IllegalStateException e) {
			ended = true;
			throw new IllegalStateException(e.getMessage(), e);
		}
		return (String) o;
	}

	@Override
	public void cancel() {
		cancelled = true;
	}

	@Override
	public int tokens() {
		return generated;
	}

	@Override
	public int reusedTokens() {
		return reused;
	}

	@Override
	public long promptNanos() {
		return promptNanos;
	}

	@Override
	public long generationNanos() {
		return generationNanos;
	}

	@Override
	public boolean hitLimit() {
		return hitLimit;
	}
}
