package ai.local.runtime.llamacpp;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.PullProgress;

/**
 * The model directory as the provider sees it: which ids name which GGUF files (scanned again at most every two
 * seconds, and at once after a pull or a deletion), their headers, and the pulls into it and deletions from it.
 */
final class ModelFiles {
	private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);
	private static final long INDEX_TTL_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final Path root;
	private final ModelPull puller;
	private final HeaderCache headers = new HeaderCache();
	private volatile ModelIndex index;
	private volatile long indexedAt;

	ModelFiles(Path root, ModelPull puller) {
		this.root = root;
		this.puller = puller;
	}

	Path root() {
		return root;
	}

	ModelIndex index() {
		ModelIndex idx = index;
		if (idx == null || System.nanoTime() - indexedAt > INDEX_TTL_NANOS) {
			idx = ModelIndex.scan(root);
			index = idx;
			indexedAt = System.nanoTime();
		}
		return idx;
	}

	/** The next look scans the directory again. */
	void rescan() {
		index = null;
	}

	GgufHeader header(Path file) {
		return headers.of(file);
	}

	/** The model's file; pulled first when it is not here and {@code pullOnDemand} names a pullable id; else 404. */
	Path file(String id, boolean pullOnDemand) {
		ModelIndex idx = index();
		Path file = idx.file(id);
		if (file == null && pullOnDemand && HubRef.looksLike(id)) {
			LOG.info("model '{}' is not here: pulling it (pull.on.demand)", id);
			pull(HubRef.parse(id), p -> {
			}, () -> false);
			idx = index();
			file = idx.file(id);
		}
		if (file == null) {
			List<String> ids = idx.ids();
			throw new ApiException(ErrorType.NOT_FOUND, "The model '" + id + "' does not exist; "
					+ (ids.isEmpty() ? "no models are installed in " + root.toAbsolutePath()
							: "available: " + String.join(", ", ids)), "model", "model_not_found", null, null);
		}
		return file;
	}

	void pull(HubRef ref, Consumer<PullProgress> progress, BooleanSupplier cancelled) {
		if (Files.isRegularFile(root)) {
			throw ApiException.invalidRequest("LLAMA_CPP_MODEL (model) names the file " + root
					+ "; pulled models need a directory", "model");
		}
		try {
			puller.pull(ref, progress, cancelled);
		} finally {
			rescan();
		}
	}

	/** The GGUF's key/values (see {@link GgufHeader#metadata}). */
	Map<String, Object> metadata(String id) {
		return GgufHeader.metadata(file(id, false));
	}

	/**
	 * Deletes a pulled model's files and its record, {@code unload}ing it first; false when there is no such model.
	 * A file the runtime did not pull is the operator's, and stays.
	 */
	boolean delete(String id, Consumer<String> unload) {
		if (index().file(id) == null) {
			return false;
		}
		if (!PulledModels.read(root).containsKey(id)) {
			throw ApiException.invalidRequest("The model '" + id + "' is a file in " + root.toAbsolutePath()
					+ " that the runtime did not pull; delete the file itself", "model");
		}
		unload.accept(id);
		try {
			PulledModels.delete(root, id);
		} catch (UncheckedIOException e) {
			// e.g. Windows keeps a file that a finishing request still maps
			throw ApiException.unavailable(e.getMessage() + ": " + e.getCause().getMessage() + "; try again",
					Duration.ofSeconds(5));
		} finally {
			rescan();
		}
		return true;
	}

	/** Every model here, described from its header; {@code loaded}: the ids loaded now. */
	List<ModelInfo> models(String provider, int slotContext, Set<String> loaded) {
		ModelIndex idx = index();
		return idx.ids().stream().map(id -> {
			Path file = idx.file(id);
			return new ModelInfo(id, provider, created(file),
					ModelDetails.of(headers.of(file), file, slotContext, loaded.contains(id)));
		}).toList();
	}

	static long size(Path file) {
		try {
			return Files.size(file);
		} catch (Exception e) {
			return 0;
		}
	}

	private static long created(Path file) {
		try {
			return Files.getLastModifiedTime(file).toMillis() / 1000;
		} catch (Exception e) {
			return 0;
		}
	}
}
