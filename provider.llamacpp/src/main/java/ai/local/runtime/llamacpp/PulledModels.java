package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ids models were pulled under ({@code hf.co/Qwen/Qwen3-8B-GGUF:Q4_K_M}), one small JSON file per pull in
 * {@code MODELS/.pulls/}: the id, the main file and every file of the pull, relative to the model directory. A
 * model file is listed under the id it was pulled as, not under the name of its directory.
 */
final class PulledModels {
	static final String DIR = ".pulls";

	private PulledModels() {
	}

	static void record(Path root, String id, Path main, List<Path> files) {
		ObjectNode doc = Json.MAPPER.createObjectNode().put("id", id).put("file", relative(root, main))
				.put("pulled", Instant.now().toString());
		files.forEach(f -> doc.withArray("files").add(relative(root, f)));
		Path dir = root.resolve(DIR);
		Path file = dir.resolve(URLEncoder.encode(id, StandardCharsets.UTF_8) + ".json");
		try {
			Files.createDirectories(dir);
			Path tmp = Files.createTempFile(dir, "pull", ".tmp");
			Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw new UncheckedIOException("The record of the pull " + id + " cannot be written in " + dir, e);
		}
	}

	/** Pulled id → its main file, for the pulls whose main file is still there. */
	static Map<String, Path> read(Path root) {
		Map<String, Path> out = new LinkedHashMap<>();
		Path dir = root.resolve(DIR);
		if (!Files.isDirectory(dir)) {
			return out;
		}
		try (Stream<Path> files = Files.list(dir)) {
			for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
				try {
					JsonNode doc = Json.MAPPER.readTree(f.toFile());
					Path main = root.resolve(doc.path("file").asText()).normalize();
					String id = doc.path("id").asText(URLDecoder.decode(f.getFileName().toString(), StandardCharsets.UTF_8));
					if (main.startsWith(root.normalize()) && Files.isRegularFile(main)) {
						out.put(id, main);
					}
				} catch (IOException | RuntimeException bad) {
					// a damaged record: the file is still listed under its directory's name
				}
			}
		} catch (IOException e) {
			return out;
		}
		return out;
	}

	/**
	 * Deletes the files of the pull recorded under {@code id} (only those inside {@code root}, and none another pull
	 * still lists, such as a repository's projector beside two quantisations), the directories the pull left empty,
	 * then its record: the record goes last, so a deletion cut short is finished by the next.
	 */
	static void delete(Path root, String id) {
		Path base = root.normalize();
		Path record = base.resolve(DIR).resolve(URLEncoder.encode(id, StandardCharsets.UTF_8) + ".json");
		try {
			JsonNode doc = Json.MAPPER.readTree(record.toFile());
			Set<Path> kept = filesOfOtherPulls(base, record);
			for (JsonNode f : doc.path("files")) {
				Path p = base.resolve(f.asText()).normalize();
				if (p.startsWith(base) && !p.equals(base) && !kept.contains(p)) {
					Files.deleteIfExists(p);
					for (Path dir = p.getParent(); dir != null && !dir.equals(base) && dir.startsWith(base); dir = dir.getParent()) {
						try (Stream<Path> left = Files.list(dir)) {
							if (left.findAny().isPresent()) {
								break;
							}
						}
						Files.delete(dir);
					}
				}
			}
			Files.deleteIfExists(record);
		} catch (IOException e) {
			throw new UncheckedIOException("The pulled model " + id + " could not be deleted from " + base, e);
		}
	}

	private static Set<Path> filesOfOtherPulls(Path base, Path record) throws IOException {
		Set<Path> kept = new HashSet<>();
		try (Stream<Path> records = Files.list(base.resolve(DIR))) {
			for (Path other : records.filter(p -> p.toString().endsWith(".json") && !p.equals(record)).toList()) {
				try {
					for (JsonNode f : Json.MAPPER.readTree(other.toFile()).path("files")) {
						kept.add(base.resolve(f.asText()).normalize());
					}
				} catch (IOException | RuntimeException damaged) {
					// a damaged record keeps nothing
				}
			}
		}
		return kept;
	}

	private static String relative(Path root, Path p) {
		return root.normalize().relativize(p.normalize()).toString().replace('\\', '/');
	}
}
