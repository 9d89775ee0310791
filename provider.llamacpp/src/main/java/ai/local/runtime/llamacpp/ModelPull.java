package ai.local.runtime.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.PullProgress;

/**
 * Pulls a model from the Hub into the model directory, as Ollama's {@code /api/pull} does: picks the files (the
 * quantisation asked for, Q4_K_M by default; every part of a split GGUF; the repository's mmproj), then downloads
 * each to {@code FILE.partial} beside its place, resuming with a Range request where an earlier pull stopped,
 * checks its sha256 against the Hub's LFS oid and only then moves it into place; a mismatch deletes it. Free disk
 * space is checked first. Two pulls of one file share one download, which stops (keeping the partial file) when
 * no pull waits for it any more. Last, the pulled id is recorded ({@link PulledModels}) so that the model is served
 * under exactly that id.
 */
final class ModelPull {
	private static final Logger LOG = LoggerFactory.getLogger(ModelPull.class);
	static final String DEFAULT_QUANT = "Q4_K_M";
	private static final Pattern SHARD = Pattern.compile("(?i)^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$");
	private static final Pattern QUANT = Pattern.compile("(?i)(?<![A-Z0-9])(I?Q\\d(?:_[A-Z0-9]+)*|BF16|F16|F32)(?![A-Z0-9])");
	/** How long a download may go without a byte before it is given up (a later pull resumes it). */
	private static final Duration STALL = Duration.ofSeconds(60);
	private static final ScheduledExecutorService STALLS = Executors.newSingleThreadScheduledExecutor(Daemons.named("model download watchdog"));
	/** Room kept free on the disk besides the download. */
	private static final long MARGIN = 64L << 20;

	private final Hub hub;
	private final Path root;
	private final ExecutorService downloads;
	private final Map<Path, Download> running = new ConcurrentHashMap<>();

	ModelPull(Hub hub, Path root, ExecutorService downloads) {
		this.hub = hub;
		this.root = root;
		this.downloads = downloads;
	}

	/** Pulls {@code ref}; returns the pulled main file. */
	Path pull(HubRef ref, Consumer<PullProgress> progress, BooleanSupplier cancelled) {
		// the first line comes once the files are known: a pull refused before (no such repository, no access,
		// no such quantisation) is answered with its HTTP status
		List<Hub.HubFile> files = select(ref, hub.tree(ref));
		progress.accept(PullProgress.status("pulling manifest"));
		Path dir = root.resolve("hf.co").resolve(ref.org()).resolve(ref.repo()).normalize();
		if (!dir.startsWith(root.normalize())) {
			throw ApiException.invalidRequest("'" + ref.id() + "' names a place outside the model directory", "model");
		}
		try {
			Files.createDirectories(dir);
		} catch (IOException e) {
			throw ApiException.unavailable("The model directory " + dir + " cannot be created: " + e.getMessage(), null);
		}
		checkSpace(dir, files);
		for (Hub.HubFile f : files) {
			fetch(ref, f, target(dir, f), progress, cancelled);
		}
		progress.accept(PullProgress.status("writing manifest"));
		Path main = target(dir, files.get(0));
		PulledModels.record(root, ref.id(), main, files.stream().map(f -> target(dir, f)).toList());
		progress.accept(PullProgress.status("success"));
		return main;
	}

	/** The files a reference asks for: the model's GGUF (all its parts), then an mmproj if the repository has one. */
	static List<Hub.HubFile> select(HubRef ref, List<Hub.HubFile> tree) {
		List<Hub.HubFile> ggufs = tree.stream().filter(f -> f.path().toLowerCase(Locale.ROOT).endsWith(".gguf")).toList();
		List<Hub.HubFile> models = ggufs.stream().filter(f -> !f.name().toLowerCase(Locale.ROOT).startsWith("mmproj")).toList();
		Hub.HubFile chosen;
		if (ref.file() != null) {
			chosen = ggufs.stream().filter(f -> f.path().equals(ref.file())).findFirst().orElseThrow(() -> ApiException
					.notFound(ref.repoPath() + " has no file " + ref.file() + "; its GGUF files: " + names(ggufs)));
		} else {
			String quant = ref.quant() == null ? DEFAULT_QUANT : ref.quant();
			Pattern tag = Pattern.compile("(?i)(?<![A-Z0-9])" + Pattern.quote(quant) + "(?![A-Z0-9])");
			List<Hub.HubFile> matching = models.stream().filter(f -> tag.matcher(f.name()).find()).toList();
			if (matching.isEmpty() && ref.quant() == null && models.size() == 1) {
				matching = models;
			}
			if (matching.isEmpty()) {
				TreeSet<String> quants = new TreeSet<>();
				models.forEach(f -> {
					Matcher m = QUANT.matcher(f.name());
					while (m.find()) {
						quants.add(m.group(1).toUpperCase(Locale.ROOT));
					}
				});
				throw ApiException.notFound(models.isEmpty() ? ref.repoPath() + " has no GGUF files"
						: ref.repoPath() + " has no " + quant + " GGUF; available: " + (quants.isEmpty() ? names(models)
								: String.join(", ", quants)) + " (pull " + ref.org() + "/" + ref.repo() + ":<one of them>)");
			}
			chosen = matching.stream().filter(f -> shardNumber(f) <= 1).findFirst().orElse(matching.get(0));
		}
		List<Hub.HubFile> out = new ArrayList<>();
		Matcher shard = SHARD.matcher(chosen.path());
		if (shard.matches()) {
			String prefix = shard.group(1), count = shard.group(3);
			for (Hub.HubFile f : ggufs) {
				Matcher s = SHARD.matcher(f.path());
				if (s.matches() && s.group(1).equals(prefix) && s.group(3).equals(count)) {
					out.add(f);
				}
			}
			out.sort((a, b) -> Integer.compare(shardNumber(a), shardNumber(b)));
			if (out.size() != Integer.parseInt(count)) {
				throw ApiException.notFound(ref.repoPath() + " lacks parts of " + chosen.path() + " (" + out.size() + " of "
						+ Integer.parseInt(count) + ")");
			}
		} else {
			out.add(chosen);
		}
		ggufs.stream().filter(f -> f.name().toLowerCase(Locale.ROOT).startsWith("mmproj"))
				.sorted((a, b) -> Boolean.compare(!a.name().toLowerCase(Locale.ROOT).contains("f16"),
						!b.name().toLowerCase(Locale.ROOT).contains("f16")))
				.findFirst().ifPresent(out::add);
		return out;
	}

	private static int shardNumber(Hub.HubFile f) {
		Matcher m = SHARD.matcher(f.path());
		return m.matches() ? Integer.parseInt(m.group(2)) : 0;
	}

	private static String names(List<Hub.HubFile> files) {
		return files.isEmpty() ? "none" : String.join(", ", files.stream().map(Hub.HubFile::path).toList());
	}

	private static Path target(Path dir, Hub.HubFile f) {
		return dir.resolve(f.name());
	}

	private void checkSpace(Path dir, List<Hub.HubFile> files) {
		long needed = 0;
		for (Hub.HubFile f : files) {
			Path t = target(dir, f);
			Path partial = partial(t);
			long have = Files.exists(t) ? f.size() : Files.exists(partial) ? size(partial) : 0;
			needed += Math.max(0, f.size() - have);
		}
		try {
			long free = Files.getFileStore(dir).getUsableSpace();
			if (free < needed + MARGIN) {
				throw new ApiException(ai.local.runtime.api.ErrorType.UNAVAILABLE, "Not enough disk space in " + dir
						+ ": the pull needs " + (needed >> 20) + " MB, " + (free >> 20) + " MB are free", "model",
						"insufficient_storage", null, null);
			}
		} catch (IOException e) {
			LOG.warn("free space of {} unknown: {}", dir, e.toString());
		}
	}

	/** One file: already there, or downloaded (shared with other pulls of it) while reporting progress. */
	private void fetch(HubRef ref, Hub.HubFile f, Path target, Consumer<PullProgress> progress, BooleanSupplier cancelled) {
		String digest = f.sha256() == null ? "" : "sha256:" + f.sha256();
		if (Files.exists(target) && size(target) == f.size()) {
			progress.accept(new PullProgress("pulling " + shortDigest(f), digest, f.size(), f.size()));
			return;
		}
		Download d = running.compute(target, (k, existing) -> {
			if (existing != null && !existing.done.isDone()) {
				existing.waiters.incrementAndGet();
				return existing;
			}
			Download fresh = new Download();
			fresh.waiters.incrementAndGet();
			downloads.execute(() -> fresh.run(() -> download(ref, f, target, fresh)));
			return fresh;
		});
		try {
			while (true) {
				progress.accept(new PullProgress("pulling " + shortDigest(f), digest, f.size(), d.completed.get()));
				try {
					d.done.get(250, TimeUnit.MILLISECONDS);
					break;
				} catch (TimeoutException more) {
					if (cancelled.getAsBoolean()) {
						throw ApiException.invalidRequest("The pull was cancelled", "model");
					}
				}
			}
			progress.accept(new PullProgress("pulling " + shortDigest(f), digest, f.size(), f.size()));
		} catch (ExecutionException e) {
			throw e.getCause() instanceof ApiException api ? api
					: ApiException.upstream("Downloading " + f.path() + " failed: " + e.getCause(), e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw ApiException.unavailable("Interrupted while pulling " + ref.id(), null);
		} finally {
			if (d.waiters.decrementAndGet() == 0) {
				d.stop = !d.done.isDone(); // nobody waits for it: stop, keeping the partial file for the next pull
				running.remove(target, d);
			}
		}
	}

	/** Downloads into FILE.partial (resuming it), checks the sha256, moves it into place. */
	private void download(HubRef ref, Hub.HubFile f, Path target, Download d) throws IOException {
		Path partial = partial(target);
		MessageDigest sha = sha256();
		long offset = Files.exists(partial) ? size(partial) : 0;
		if (offset > f.size()) {
			Files.delete(partial);
			offset = 0;
		}
		if (offset > 0) {
			try (InputStream in = Files.newInputStream(partial)) {
				byte[] buf = new byte[1 << 16];
				for (int n; (n = in.read(buf)) > 0;) {
					sha.update(buf, 0, n);
				}
			}
		}
		if (offset < f.size()) {
			HttpResponse<InputStream> r = hub.download(ref, f, offset);
			boolean resumed = offset > 0 && r.statusCode() == 206;
			if (offset > 0 && !resumed) {
				LOG.info("the Hub did not resume {} at byte {}: downloading it again", f.path(), offset);
				offset = 0;
				sha.reset();
			}
			LOG.info("{} {} ({} MB) from {}", resumed ? "resuming" : "downloading", f.path(), f.size() >> 20, hub.endpoint());
			d.completed.set(offset);
			// a stalled connection (no byte for STALL) or a pull nobody waits for any more ends the read
			Thread reader = Thread.currentThread();
			long[] seen = { offset, System.nanoTime() };
			var watchdog = STALLS.scheduleWithFixedDelay(() -> {
				long now = d.completed.get();
				if (now != seen[0]) {
					seen[0] = now;
					seen[1] = System.nanoTime();
				} else if (d.stop || System.nanoTime() - seen[1] > STALL.toNanos()) {
					reader.interrupt();
				}
			}, 1, 1, TimeUnit.SECONDS);
			try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE,
					StandardOpenOption.WRITE, resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
				byte[] buf = new byte[1 << 16];
				for (int n; (n = in.read(buf)) > 0;) {
					if (d.stop) {
						throw ApiException.invalidRequest("The pull was cancelled; " + partial.getFileName()
								+ " is kept, a new pull resumes it", "model");
					}
					out.write(buf, 0, n);
					sha.update(buf, 0, n);
					d.completed.addAndGet(n);
				}
			} catch (IOException e) {
				if (Thread.interrupted() || e instanceof InterruptedIOException) {
					throw ApiException.upstream(d.stop ? "The pull was cancelled; " + partial.getFileName()
							+ " is kept, a new pull resumes it" : "The download of " + f.path() + " stalled (no data for "
									+ STALL.toSeconds() + " s); pull again to resume it", e);
				}
				throw e;
			} finally {
				watchdog.cancel(false);
				Thread.interrupted(); // an interrupt that came after the last read is not for the next download
			}
		}
		long got = size(partial);
		if (got != f.size()) {
			throw ApiException.upstream("The download of " + f.path() + " ended at byte " + got + " of " + f.size()
					+ "; pull again to resume it", null);
		}
		String hex = HexFormat.of().formatHex(sha.digest());
		if (f.sha256() != null && !hex.equalsIgnoreCase(f.sha256())) {
			Files.deleteIfExists(partial);
			throw ApiException.upstream("The download of " + f.path() + " has sha256 " + hex + ", not the Hub's " + f.sha256()
					+ ": it was deleted", null);
		}
		Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		LOG.info("pulled {} into {}", f.path(), target);
	}

	static Path partial(Path target) {
		return target.resolveSibling(target.getFileName() + ".partial");
	}

	private static String shortDigest(Hub.HubFile f) {
		return f.sha256() == null ? f.name() : "sha256:" + f.sha256().substring(0, Math.min(12, f.sha256().length()));
	}

	private static long size(Path p) {
		try {
			return Files.size(p);
		} catch (IOException e) {
			return 0;
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** One file being downloaded, and the pulls waiting for it. */
	private static final class Download {
		final CompletableFuture<Void> done = new CompletableFuture<>();
		final AtomicLong completed = new AtomicLong();
		final AtomicInteger waiters = new AtomicInteger();
		volatile boolean stop;

		void run(IoTask task) {
			try {
				task.run();
				done.complete(null);
			} catch (Exception | Error e) {
				done.completeExceptionally(e instanceof IOException io
						? ApiException.upstream("Downloading failed: " + io.getMessage() + "; pull again to resume", io) : e);
			}
		}
	}

	@FunctionalInterface
	private interface IoTask {
		void run() throws IOException;
	}
}
