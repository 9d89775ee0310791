package de.kherud.llama;

/**
 * java-llama.cpp's task calls, which are package-private: with them a completion takes llama.cpp server
 * parameters as they are ({@code id_slot}, {@code cache_prompt}, grammar ...) instead of the subset
 * {@link InferenceParameters} can express. Lives in this bundle only, next to its private copy of the library.
 */
public final class NativeTasks {

	private NativeTasks() {
	}

	public static int request(LlamaModel model, String parametersJson) {
		return model.requestCompletion(parametersJson);
	}

	public static LlamaOutput receive(LlamaModel model, int task) {
		return model.receiveCompletion(task);
	}

	public static boolean isLast(LlamaOutput output) {
		return output.stop;
	}

	public static void cancel(LlamaModel model, int task) {
		model.cancelCompletion(task);
	}

	public static void release(LlamaModel model, int task) {
		model.releaseTask(task);
	}
}
