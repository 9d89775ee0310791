package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The GGUF models under a file or directory, by id. A model's id is its directory relative to the root; a file
 * directly in the root is known by its name without {@code .gguf}, and so is each file of a directory that
 * holds several models. Of a split model only the first shard is listed (llama.cpp finds the others);
 * multimodal projector files ({@code mmproj*}) are not models. A model pulled from the Hub is known by the id it
 * was pulled as ({@link PulledModels}).
 */
record ModelIndex(Path root, Map<String, Path> models) {

	private static final Pattern SHARD = Pattern.compile("(?i)-(\\d{5})-of-(\\d{5})\\.gguf$");

	static ModelIndex scan(Path root) {
		if (Files.isRegularFile(root)) {
			return new ModelIndex(root, Map.of(stem(root), root));
		}
		if (!Files.isDirectory(root)) {
			return new ModelIndex(root, Map.of());
		}
		Map<Path, List<Path>> byDirectory = new TreeMap<>();
		try (Stream<Path> files = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
			files.filter(ModelIndex::isModelFile).sorted().forEach(f -> byDirectory
					.computeIfAbsent(root.relativize(f.getParent()), d -> new ArrayList<>()).add(f));
		} catch (IOException | UncheckedIOException e) {
			return new ModelIndex(root, Map.of());
		}
		Map<String, Path> models = new LinkedHashMap<>();
		// a pulled model is known by the id it was pulled as
		Map<String, Path> pulled = PulledModels.read(root);
		models.putAll(pulled);
		Set<Path> named = new HashSet<>(pulled.values());
		byDirectory.values().forEach(files -> files.removeIf(named::contains));
		byDirectory.forEach((dir, files) -> {
			String prefix = dir.toString().replace('\\', '/');
			for (Path f : files) {
				String id = prefix.isEmpty() ? stem(f) : files.size() == 1 ? prefix : prefix + "/" + stem(f);
				models.putIfAbsent(id, f);
			}
		});
		return new ModelIndex(root, Map.copyOf(models));
	}

	private static boolean isModelFile(Path f) {
		String name = f.getFileName().toString();
		String lower = name.toLowerCase(Locale.ROOT);
		if (!lower.endsWith(".gguf") || lower.startsWith("mmproj") || !Files.isRegularFile(f)) {
			return false;
		}
		var shard = SHARD.matcher(name);
		return !shard.find() || Integer.parseInt(shard.group(1)) == 1;
	}

	private static String stem(Path f) {
		String name = f.getFileName().toString();
		name = SHARD.matcher(name).replaceFirst(".gguf");
		return name.substring(0, name.length() - ".gguf".length());
	}

	/** Ids in a stable order. */
	List<String> ids() {
		return models.keySet().stream().sorted().toList();
	}

	Path file(String id) {
		return models.get(id);
	}
}
