package ai.local.runtime.llamacpp.engine;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A loaded model. All methods may be called from several threads. */
@ProviderType
public interface LlamaModelHandle extends AutoCloseable {

	/** What the GGUF file says about the model, and how it was loaded. */
	ModelInfo info();

	/**
	 * Token ids of a text. {@code prompt}: special tokens written in the text are read as such and the
	 * model's BOS is added when its vocabulary asks for one (once, also when the text starts with it); otherwise
	 * the text is plain text.
	 */
	int[] tokenize(String text, boolean prompt);

	/** The text of token ids; an {@link IllegalArgumentException} for an id outside the vocabulary. */
	String detokenize(int[] tokens);

	/**
	 * Each token's bytes (special tokens as their text), which may be part of a UTF-8 character; an
	 * {@link IllegalArgumentException} for an id outside the vocabulary.
	 *
	 * @since 2.3
	 */
	default List<byte[]> pieces(int[] tokens) {
		throw new UnsupportedOperationException("pieces");
	}

	/**
	 * The prompt rendered by llama.cpp's built-in chat formats, which it picks by recognising the template
	 * (no Jinja: roles and text only); null when the template is none it knows.
	 */
	String renderBuiltin(String template, List<String[]> roleAndContent, boolean addAssistant);

	/** The model's fill-in-the-middle tokens; {@link FimTokens#NONE} for a model without them. @since 2.2 */
	default FimTokens fim() {
		return FimTokens.NONE;
	}

	/** Starts a completion in the given slot (generation models). */
	Generation generate(GenerateSpec spec);

	/** The pooled embedding of a text (embedding models), not normalised; for rank pooling, the score(s). */
	float[] embed(int[] tokens);

	/** Stops the running completions and frees the model's memory. */
	@Override
	void close();
}
