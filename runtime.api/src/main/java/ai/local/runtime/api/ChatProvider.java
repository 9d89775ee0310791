package ai.local.runtime.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One backend instance (llama.cpp in-process, Ollama, an OpenAI-compatible server ...), registered as an OSGi
 * service. The router sends it requests whose {@link ChatRequest#model()} is already stripped of the
 * provider prefix. Failures are reported as {@link ApiException}; anything else is treated as a provider
 * fault (502).
 */
@ConsumerType
public interface ChatProvider {

	/** The model-id prefix that routes to this provider, e.g. {@code llama_cpp} or {@code ollama}. */
	String name();

	Set<Capability> capabilities();

	/** The models this provider serves now; may throw when its backend cannot be reached. */
	List<ModelInfo> models();

	/** Readiness: {@link ProviderStatus.State#LOADING} while the default model loads, for example. */
	default ProviderStatus status() {
		return ProviderStatus.ready();
	}

	/** The models it holds loaded now and their slots; empty for providers that do not load models themselves. */
	default List<ModelSlots> loaded() {
		return List.of();
	}

	/** A whole completion. */
	ChatResult chat(ChatRequest request);

	/**
	 * A completion streamed as it is produced: every piece goes to the sink as soon as it exists, and the
	 * call returns after {@link ChatSink#finish}. Stops early, without error, when the sink reports
	 * {@link ChatSink#cancelled()}.
	 */
	void stream(ChatRequest request, ChatSink sink);

	default EmbeddingResult embed(EmbeddingRequest request) {
		throw ApiException.invalidRequest("embeddings are not supported by provider '" + name() + "'", "model");
	}

	/**
	 * The prompt text the model would be given for this request (llama-server's {@code /apply-template}): the
	 * chat template rendered with the messages and tools. Only providers that render prompts themselves have it.
	 */
	default String applyTemplate(ChatRequest request) {
		throw promptsNotRendered();
	}

	/** The model's token ids for {@code text}; {@code addSpecial}: special tokens read as such and BOS added. */
	default int[] tokenize(String model, String text, boolean addSpecial) {
		throw promptsNotRendered();
	}

	/** The text of the model's token ids. */
	default String detokenize(String model, int[] tokens) {
		throw promptsNotRendered();
	}

	/**
	 * Each token's bytes as the model writes it (llama-server's {@code /tokenize} {@code with_pieces}): a token
	 * may hold part of a UTF-8 character, which a text cannot show.
	 *
	 * @since 1.11
	 */
	default java.util.List<byte[]> pieces(String model, int[] tokens) {
		throw promptsNotRendered();
	}

	/**
	 * Loads the model now (llama-server's {@code POST /models/load}); {@code keepAlive}: how long it then stays
	 * loaded idle, as Ollama's {@code keep_alive} ("5m", "0", "-1" for ever), null for the provider's default.
	 * Only providers that load models themselves have it.
	 */
	default void load(String model, String keepAlive) {
		throw ApiException.invalidRequest("provider '" + name() + "' does not load models itself", "model");
	}

	/**
	 * Downloads the model {@code model} names (e.g. {@code hf.co/ORG/REPO:Q4_K_M}) so that this provider serves it
	 * under that id, reporting each step to {@code progress}; stops, keeping what it has for a later resume, once
	 * {@code cancelled} turns true. Only providers that keep model files themselves have it.
	 */
	default void pull(String model, java.util.function.Consumer<PullProgress> progress,
			java.util.function.BooleanSupplier cancelled) {
		throw ApiException.invalidRequest("provider '" + name() + "' does not pull models", "model");
	}

	/**
	 * A text completion without the chat template (see {@link CompletionRequest}), streamed like
	 * {@link #stream}. Providers that cannot complete raw text, or fill a gap for this model, say so with a 400.
	 *
	 * @since 1.10
	 */
	default void complete(CompletionRequest request, ChatSink sink) {
		throw ApiException.invalidRequest("provider '" + name() + "' does not complete raw text (only chat)", "model");
	}

	/**
	 * The tokens this request's prompt takes in the model, chat template and tools included; -1 when the provider
	 * cannot count them (an upstream without a tokenizer endpoint), and the caller estimates.
	 *
	 * @since 1.10
	 */
	default int countTokens(ChatRequest request) {
		return -1;
	}

	/** Relevance scores of documents for a query, from a reranking model. @since 1.10 */
	default RerankResult rerank(RerankRequest request) {
		throw ApiException.invalidRequest("reranking is not supported by provider '" + name() + "'", "model");
	}

	/**
	 * What the model's file says about it, as key/values (GGUF metadata: {@code general.architecture},
	 * {@code tokenizer.chat_template}, ...; long arrays as null); empty when the provider has no file to read.
	 *
	 * @since 1.10
	 */
	default java.util.Map<String, Object> metadata(String model) {
		return java.util.Map.of();
	}

	/**
	 * Deletes a model this provider downloaded ({@link #pull}), unloading it first; false when it has no such
	 * model. Only providers that keep model files themselves have it.
	 *
	 * @since 1.10
	 */
	default boolean delete(String model) {
		throw ApiException.invalidRequest("provider '" + name() + "' does not keep model files", "model");
	}

	/** Unloads the model once its running requests finish; false when it was not loaded. */
	default boolean unload(String model) {
		throw ApiException.invalidRequest("provider '" + name() + "' does not load models itself", "model");
	}

	private ApiException promptsNotRendered() {
		return ApiException.invalidRequest("provider '" + name() + "' does not render prompts itself (only in-process "
				+ "models have /apply-template, /tokenize and /detokenize)", "model");
	}
}
