package ai.local.runtime.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.SessionInfo;

/**
 * One JSON file per session in {@code <dir>/<namespace>/}. Every write goes to a temporary file that is
 * forced to disk and then renamed over the old one (and the directory forced), so a crash at any point
 * leaves either the old or the new history, never a torn file: an acknowledged turn is on disk.
 */
final class FileBackend implements Backend {
	private static final Logger LOG = LoggerFactory.getLogger(FileBackend.class);
	private static final String SUFFIX = ".json";

	private final Path dir;
	private final Duration ttl;
	private final Clock clock;
	private final Object[] locks = new Object[64];
	/** What the last {@link #list} found, by file: unchanged files are not read again. */
	private volatile Map<Path, SessionInfo> listed = Map.of();

	FileBackend(Path root, String namespace, Duration ttl, Clock clock) {
		this.dir = root.resolve(namespace);
		this.ttl = ttl;
		this.clock = clock;
		for (int i = 0; i < locks.length; i++) {
			locks[i] = new Object();
		}
		try {
			Files.createDirectories(dir);
		} catch (IOException e) {
			throw new UncheckedIOException("cannot create the session directory " + dir + ": " + e, e);
		}
		removeLeftovers();
	}

	@Override
	public List<Turn> turns(String id) {
		synchronized (lock(id)) {
			return read(file(id));
		}
	}

	@Override
	public void append(String id, Turn turn) {
		synchronized (lock(id)) {
			Path file = file(id);
			List<Turn> turns = new ArrayList<>(read(file));
			turns.add(turn);
			write(file, turns);
		}
	}

	@Override
	public void replace(String id, Turn whole) {
		synchronized (lock(id)) {
			write(file(id), List.of(whole));
		}
	}

	@Override
	public boolean delete(String id) {
		synchronized (lock(id)) {
			try {
				return Files.deleteIfExists(file(id));
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
	}

	@Override
	public List<SessionInfo> list(int limit) {
		record Stored(Path file, long modified) {
		}
		List<Stored> stored = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
			for (Path f : files) {
				try {
					stored.add(new Stored(f, Files.getLastModifiedTime(f).toMillis()));
				} catch (NoSuchFileException deletedMeanwhile) {
					// gone since the listing
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
		}
		stored.sort(Comparator.comparingLong(Stored::modified).reversed());
		long now = clock.millis();
		Map<Path, SessionInfo> seen = listed;
		Map<Path, SessionInfo> next = new HashMap<>();
		List<SessionInfo> sessions = new ArrayList<>();
		for (Stored s : stored) {
			if (sessions.size() == limit) {
				break;
			}
			if (!ttl.isZero() && now - s.modified() > ttl.toMillis()) {
				continue;
			}
			Instant modified = Instant.ofEpochMilli(s.modified());
			SessionInfo info = seen.get(s.file());
			if (info == null || !info.updated().equals(modified)) {
				// read only what changed since the last listing: the console asks every few seconds
				String name = s.file().getFileName().toString();
				String id = name.substring(0, name.length() - SUFFIX.length());
				int turns = turns(id).size();
				info = turns == 0 ? null : new SessionInfo(id, turns, modified);
			}
			if (info != null) {
				next.put(s.file(), info);
				sessions.add(info);
			}
		}
		listed = next;
		return sessions;
	}

	@Override
	public void clear() {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
			for (Path f : files) {
				Files.deleteIfExists(f);
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@Override
	public void close() {
		// nothing held open
	}

	private List<Turn> read(Path file) {
		try {
			if (expired(file)) {
				Files.deleteIfExists(file);
				return List.of();
			}
			return TurnCodec.readAll(Files.readAllBytes(file));
		} catch (NoSuchFileException e) {
			return List.of();
		} catch (IOException e) {
			throw new UncheckedIOException("cannot read " + file + ": " + e, e);
		}
	}

	private boolean expired(Path file) throws IOException {
		return !ttl.isZero() && clock.millis() - Files.getLastModifiedTime(file).toMillis() > ttl.toMillis();
	}

	private void write(Path file, List<Turn> turns) {
		Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		try {
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer bytes = ByteBuffer.wrap(TurnCodec.writeAll(turns));
				while (bytes.hasRemaining()) {
					ch.write(bytes);
				}
				ch.force(true);
			}
			try {
				Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
			}
			forceDirectory();
		} catch (IOException e) {
			throw new UncheckedIOException("cannot write " + file + ": " + e, e);
		}
	}

	/** Makes the rename itself durable; some file systems cannot open a directory, and then the rename must do. */
	private void forceDirectory() {
		try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
			d.force(true);
		} catch (IOException | UnsupportedOperationException e) {
			LOG.debug("cannot force directory {}: {}", dir, e.toString());
		}
	}

	/** Temporary files of writes a crash interrupted (their turns were never acknowledged), and expired sessions. */
	private void removeLeftovers() {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
			for (Path f : files) {
				String name = f.getFileName().toString();
				if (name.endsWith(".tmp") || (name.endsWith(SUFFIX) && expired(f))) {
					Files.deleteIfExists(f);
				}
			}
		} catch (IOException e) {
			LOG.warn("cannot tidy the session directory {}: {}", dir, e.toString());
		}
	}

	private Path file(String id) {
		return dir.resolve(id + SUFFIX);
	}

	private Object lock(String id) {
		return locks[Math.floorMod(id.hashCode(), locks.length)];
	}
}
