package ai.local.runtime.llamacpp.jni;

import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.NativeTasks;

/** A model loaded by java-llama.cpp. */
final class KherudModel implements LlamaModelHandle {
	private final LlamaModel model;

	KherudModel(LlamaModel model) {
		this.model = model;
	}

	/** The first decode allocates compute buffers; do it now instead of in the first request. */
	void warmUp() {
		Generation g = generate("{\"prompt\": \"Hi\", \"n_predict\": 1, \"id_slot\": 0, \"cache_prompt\": false, \"stream\": true}");
		while (g.next() != null) {
			// drain
		}
	}

	@Override
	public int[] tokenize(String text) {
		return model.encode(text);
	}

	@Override
	public String detokenize(int[] tokens) {
		return model.decode(tokens);
	}

	@Override
	public String applyTemplate(String chatJson) {
		return model.applyTemplate(chatJson);
	}

	@Override
	public Generation generate(String completionJson) {
		return new Task(NativeTasks.request(model, completionJson));
	}

	@Override
	public float[] embed(String text) {
		return model.embed(text);
	}

	@Override
	public void close() {
		model.close();
	}

	private final class Task implements Generation {
		private final int id;
		private boolean done;

		Task(int id) {
			this.id = id;
		}

		@Override
		public String next() {
			if (done) {
				return null;
			}
			LlamaOutput output;
			try {
				output = NativeTasks.receive(model, id);
			} catch (RuntimeException e) {
				done = true;
				NativeTasks.release(model, id);
				throw e;
			}
			if (NativeTasks.isLast(output)) {
				done = true;
				NativeTasks.release(model, id);
				return output.text.isEmpty() ? null : output.text;
			}
			return output.text;
		}

		@Override
		public void cancel() {
			if (!done) {
				done = true;
				NativeTasks.cancel(model, id);
			}
		}
	}
}
