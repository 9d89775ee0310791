package ai.local.runtime.llamacpp.jni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.llamacpp.engine.LlamaEngine;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.LoadSpec;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.args.LogFormat;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.PoolingType;

/**
 * The engine of this variant bundle: its name and priority come from the bundle's {@code Llama-Variant} and
 * {@code Llama-Priority} headers, so a GPU build of this module differs only in its library and headers.
 */
@Component(service = LlamaEngine.class)
public class KherudEngine implements LlamaEngine {
	private static final Logger NATIVE_LOG = LoggerFactory.getLogger("llama.cpp");
	private static final byte[] GGUF_MAGIC = { 'G', 'G', 'U', 'F' };

	private final String variant;
	private final int priority;
	private final Path library;
	private final ModelProbe probe;

	@Activate
	public KherudEngine(BundleContext context) throws IOException {
		var headers = context.getBundle().getHeaders();
		variant = headers.get("Llama-Variant") == null ? "cpu" : headers.get("Llama-Variant");
		priority = parse(headers.get("Llama-Priority"));
		library = NativeLibrary.load(context.getBundle(), context.getDataFile(""));
		probe = new ModelProbe(context.getBundle(), library);
		LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {
			String line = message.stripTrailing();
			switch (level) {
			case ERROR -> NATIVE_LOG.error(line);
			case WARN -> NATIVE_LOG.warn(line);
			case INFO -> NATIVE_LOG.debug(line);
			default -> NATIVE_LOG.trace(line);
			}
		});
	}

	@Override
	public String variant() {
		return variant;
	}

	@Override
	public int priority() {
		return priority;
	}

	@Override
	public String library() {
		return library.toString();
	}

	@Override
	public LlamaModelHandle load(LoadSpec spec) {
		checkGguf(spec.file());
		// whatever makes llama.cpp abort ends a child process, not the runtime
		probe.check(spec.file(), spec.contextSize());
		ModelParameters p = new ModelParameters().setModel(spec.file().toString())
				.setCtxSize(spec.contextSize())
				.setParallel(spec.parallel())
				.enableContBatching()
				.setBatchSize(spec.batch())
				.setUbatchSize(Math.min(spec.ubatch(), spec.batch()))
				.setThreads(spec.threads())
				.setThreadsBatch(spec.threads())
				.setGpuLayers(spec.gpuLayers())
				// the library's warm-up runs on this thread and fights the generation thread's OpenMP pool
				.skipWarmup()
				.enableJinja();
		if (!spec.offloadKqv()) {
			p.disableKvOffload();
		}
		if (spec.flashAttention()) {
			p.enableFlashAttn();
		}
		if (spec.pooling() != null) {
			p.enableEmbedding().setPoolingType(spec.pooling() == LoadSpec.Pooling.CLS ? PoolingType.CLS : PoolingType.LAST);
		}
		KherudModel model = new KherudModel(new LlamaModel(p));
		if (spec.pooling() == null) {
			model.warmUp();
		}
		return model;
	}

	@Override
	public String grammarOf(String jsonSchema) {
		return LlamaModel.jsonSchemaToGrammar(jsonSchema);
	}

	/** llama.cpp is given only files that start like a GGUF file. */
	private static void checkGguf(Path file) {
		byte[] head = new byte[4];
		try (InputStream in = Files.newInputStream(file)) {
			if (in.readNBytes(head, 0, 4) != 4 || !Arrays.equals(head, GGUF_MAGIC)) {
				throw new IllegalArgumentException("not a GGUF file (it does not start with 'GGUF')");
			}
		} catch (IOException e) {
			throw new IllegalArgumentException("cannot read it: " + e.getMessage(), e);
		}
	}

	private static int parse(String value) {
		try {
			return value == null ? 0 : Integer.parseInt(value.trim());
		} catch (NumberFormatException e) {
			return 0;
		}
	}
}
