package ai.local.runtime.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** GGUF headers by file version (size and modification time), so that listing models reads each file once. */
final class HeaderCache {
	private record Version(Path file, long size, long modified) {
	}

	private final Map<Path, Map.Entry<Version, GgufHeader>> headers = new ConcurrentHashMap<>();

	GgufHeader of(Path file) {
		Version v;
		try {
			v = new Version(file, Files.size(file), Files.getLastModifiedTime(file).toMillis());
		} catch (Exception e) {
			return GgufHeader.EMPTY;
		}
		Map.Entry<Version, GgufHeader> known = headers.get(file);
		if (known != null && known.getKey().equals(v)) {
			return known.getValue();
		}
		GgufHeader h = GgufHeader.of(file);
		headers.put(file, Map.entry(v, h));
		return h;
	}
}
