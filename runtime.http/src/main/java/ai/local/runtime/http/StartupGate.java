package ai.local.runtime.http;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ChatProvider;

/**
 * Closed while the bundles that were in FileInstall's directories when the router started are still being
 * installed and started: until then an empty router would answer "no such provider" for a provider that is
 * seconds away. It opens when every such jar's bundle is active (and has been for a moment, so its components
 * have registered their services; a bundle that declares a {@link ChatProvider} service, until it has registered
 * one), when one that cannot be installed, started or activated has stayed so for a while, or at the latest after
 * {@link #MAX_WAIT_NANOS}.
 */
final class StartupGate {
	private static final Logger LOG = LoggerFactory.getLogger(StartupGate.class);
	static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
	/** Declarative Services activates a started bundle's components right after its STARTED event. */
	private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
	/** A bundle that stays installed or resolved this long did not start (FileInstall logged why). */
	private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(5);
	/** A jar that has no bundle after this long was not installed (FileInstall logged why). */
	private static final long MISSING_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** One jar FileInstall is expected to install: the state its bundle was last seen in, and since when. */
	private static final class Expected {
		final URI jar;
		int state = -1;
		long since;

		Expected(URI jar) {
			this.jar = jar;
		}
	}

	private final BundleContext context;
	private final long deadline;
	private final List<Expected> expected;
	private volatile boolean open;

	StartupGate(BundleContext context) {
		this.context = context;
		this.deadline = System.nanoTime() + MAX_WAIT_NANOS;
		this.expected = jars(context.getProperty("felix.fileinstall.dir")).stream().map(Expected::new).toList();
		this.open = expected.isEmpty();
	}

	boolean isOpen() {
		return open || check();
	}

	/** Waits until the gate opens, at most {@code maxNanos}; true when it is open. */
	boolean await(long maxNanos) {
		long until = System.nanoTime() + maxNanos;
		while (!isOpen()) {
			if (System.nanoTime() >= until) {
				return false;
			}
			try {
				Thread.sleep(25);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/** Seconds a client should wait before asking again. */
	long retryAfterSeconds() {
		return Math.max(1, Math.min(5, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
	}

	private synchronized boolean check() {
		if (open) {
			return true;
		}
		long now = System.nanoTime();
		Map<URI, Bundle> byLocation = new HashMap<>();
		for (Bundle b : context.getBundles()) {
			URI location = location(b.getLocation());
			if (location != null) {
				byLocation.put(location, b);
			}
		}
		List<String> waiting = new ArrayList<>();
		boolean settled = true;
		for (Expected e : expected) {
			Bundle b = byLocation.get(e.jar);
			int state = b == null ? 0 : b.getState();
			if (state != e.state) {
				e.state = state;
				e.since = now;
			}
			boolean done = switch (state) {
			case Bundle.ACTIVE -> now - e.since >= SETTLE_NANOS
					&& (!declaresProvider(b) || registersProvider(b) || now - e.since >= STUCK_NANOS);
			case Bundle.RESOLVED -> b.getHeaders().get(Constants.FRAGMENT_HOST) != null || now - e.since >= STUCK_NANOS;
			case Bundle.INSTALLED -> now - e.since >= STUCK_NANOS;
			case 0 -> now - e.since >= MISSING_NANOS; // FileInstall could not install it (not a bundle, say)
			default -> false; // starting or stopping
			};
			if (!done) {
				settled = false;
				waiting.add(Path.of(e.jar).getFileName().toString());
			}
		}
		if (settled || now >= deadline) {
			if (!settled) {
				LOG.warn("serving before these bundles were started: {}", waiting);
			}
			open = true;
		}
		return open;
	}

	/** Whether the bundle's manifest says it provides a ChatProvider service (bnd writes it for a DS component). */
	private static boolean declaresProvider(Bundle b) {
		BundleRevision revision = b.adapt(BundleRevision.class);
		return revision != null && revision.getDeclaredCapabilities("osgi.service").stream()
				.map(c -> c.getAttributes().get("objectClass"))
				.anyMatch(names -> names instanceof List<?> l ? l.contains(ChatProvider.class.getName())
						: ChatProvider.class.getName().equals(names));
	}

	private static boolean registersProvider(Bundle b) {
		ServiceReference<?>[] services = b.getRegisteredServices();
		if (services != null) {
			for (ServiceReference<?> r : services) {
				if (r.getProperty(Constants.OBJECTCLASS) instanceof String[] names
						&& List.of(names).contains(ChatProvider.class.getName())) {
					return true;
				}
			}
		}
		return false;
	}

	private static URI location(String location) {
		if (location == null || !location.startsWith("file:")) {
			return null;
		}
		try {
			return Path.of(URI.create(location)).toAbsolutePath().normalize().toUri();
		} catch (RuntimeException notAFile) {
			return null;
		}
	}

	/** The jars in FileInstall's directories (a comma-separated list, relative to the working directory). */
	static List<URI> jars(String dirs) {
		List<URI> jars = new ArrayList<>();
		if (dirs == null) {
			return jars;
		}
		for (String dir : dirs.split(",")) {
			Path d = Path.of(dir.trim()).toAbsolutePath().normalize();
			if (dir.isBlank() || !Files.isDirectory(d)) {
				continue;
			}
			try (DirectoryStream<Path> files = Files.newDirectoryStream(d, "*.jar")) {
				files.forEach(f -> jars.add(f.toAbsolutePath().normalize().toUri()));
			} catch (IOException e) {
				LOG.warn("cannot list {}: {}", d, e.toString());
			}
		}
		return jars;
	}
}
