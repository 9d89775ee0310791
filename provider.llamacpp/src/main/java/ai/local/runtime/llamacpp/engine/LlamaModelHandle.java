package ai.local.runtime.llamacpp.engine;

import org.osgi.annotation.versioning.ConsumerType;

/** A loaded model. All methods may be called from several threads. */
@ConsumerType
public interface LlamaModelHandle extends AutoCloseable {

	int[] tokenize(String text);

	String detokenize(int[] tokens);

	/**
	 * The prompt for an OpenAI-style chat request ({@code messages}, {@code tools}) rendered with the model's
	 * own chat template.
	 */
	String applyTemplate(String chatJson);

	/** Starts a completion from llama.cpp server parameters ({@code prompt}, {@code n_predict}, {@code id_slot} ...). */
	Generation generate(String completionJson);

	float[] embed(String text);

	/** Frees what the library lets go of; java-llama.cpp 4.2.0 keeps most of a model's memory. */
	@Override
	void close();
}
