package ai.local.runtime.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.settings.SettingsReader;

/**
 * The Web Console's login, and what protects the console from web pages: HTTP Basic against the operator's
 * credentials (RUNTIME_CONSOLE_USER / RUNTIME_CONSOLE_PASSWORD, else the password the launcher generated into the
 * file named by {@code runtime.console.password.file}; never a command-line argument, so {@code ps} shows
 * neither it nor a hash of it). A password shorter than {@value #MIN_PASSWORD} characters or a well-known one
 * locks the console. After {@value #MAX_FAILURES} failed logins from one address within a minute, that address
 * gets 429 for the rest of the minute. A state-changing request whose Origin or Referer is another site is
 * refused (a cross-site form posted with cached credentials could stop or install bundles), and no page of the
 * console may be framed.
 */
@Component(service = SecurityProvider.class, property = { SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurity.ID,
		"service.ranking:Integer=1000" })
public class ConsoleSecurity implements SecurityProvider {
	static final String ID = "airuntime";
	static final int MIN_PASSWORD = 12;
	static final int MAX_FAILURES = 5;
	private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
	private static final Set<String> KNOWN_PASSWORDS = Set.of("admin", "password", "changeme", "administrator",
			"123456789012", "passwordpassword");
	private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurity.class);

	/** Failed logins of one address in the current window. */
	private record Failures(long windowStart, int count) {
	}

	private final String user;
	private final byte[] salt = new byte[16];
	/** SHA-256 of salt + password, or null when the console is locked for a missing or weak password. */
	private final byte[] digest;
	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	@Activate
	public ConsoleSecurity(BundleContext context) {
		this(SettingsReader.environment(context), context.getProperty("runtime.console.password.file"));
	}

	ConsoleSecurity(UnaryOperator<String> env, String passwordFile) {
		String u = env.apply("RUNTIME_CONSOLE_USER");
		this.user = u == null || u.isBlank() ? "admin" : u.trim();
		String password = env.apply("RUNTIME_CONSOLE_PASSWORD");
		if ((password == null || password.isEmpty()) && passwordFile != null) {
			try {
				password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
			} catch (IOException e) {
				LOG.error("Web Console locked: cannot read the password file {}: {}", passwordFile, e.toString());
			}
		}
		String weak = weakness(user, password);
		if (weak != null) {
			LOG.error("Web Console locked: {}. Set RUNTIME_CONSOLE_PASSWORD to a password of at least {} characters, "
					+ "or unset it to use a generated one", weak, MIN_PASSWORD);
			this.digest = null;
		} else {
			new SecureRandom().nextBytes(salt);
			this.digest = hash(password);
		}
	}

	/** Why a password may not guard the console, or null. */
	static String weakness(String user, String password) {
		if (password == null || password.isEmpty()) {
			return "no password is set";
		}
		if (password.length() < MIN_PASSWORD) {
			return "the password is shorter than " + MIN_PASSWORD + " characters";
		}
		String p = password.toLowerCase(Locale.ROOT);
		if (KNOWN_PASSWORDS.contains(p) || p.equals(user.toLowerCase(Locale.ROOT))) {
			return "the password is a well-known one";
		}
		return null;
	}

	@Override
	public Object authenticate(HttpServletRequest req, HttpServletResponse resp) {
		resp.setHeader("X-Frame-Options", "DENY");
		resp.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
		if (!SAFE_METHODS.contains(req.getMethod()) && crossSite(req)) {
			LOG.warn("Web Console: refused {} {} from another site (Origin {}, Referer {})", req.getMethod(),
					req.getRequestURI(), req.getHeader("Origin"), req.getHeader("Referer"));
			resp.setStatus(403);
			return null;
		}
		String address = req.getRemoteAddr();
		long now = System.nanoTime();
		Failures f = failures.get(address);
		if (f != null && now - f.windowStart() < WINDOW_NANOS && f.count() >= MAX_FAILURES) {
			resp.setStatus(429);
			resp.setHeader("Retry-After",
					Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS - (now - f.windowStart())))));
			return null;
		}
		String presented = req.getHeader("Authorization");
		if (presented != null && digest != null && matches(presented)) {
			failures.remove(address);
			return user;
		}
		if (presented != null) {
			failures.merge(address, new Failures(now, 1), (old, one) -> now - old.windowStart() < WINDOW_NANOS
					? new Failures(old.windowStart(), old.count() + 1) : one);
			if (failures.size() > 10_000) {
				failures.clear(); // bounded: an address flood forgets, it does not grow the heap
			}
		}
		resp.setHeader("WWW-Authenticate", "Basic realm=\"AI Runtime console\", charset=\"UTF-8\"");
		resp.setStatus(401);
		return null;
	}

	private boolean matches(String authorization) {
		if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return false;
		}
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
		} catch (IllegalArgumentException e) {
			return false;
		}
		int colon = decoded.indexOf(':');
		if (colon < 0) {
			return false;
		}
		boolean userOk = MessageDigest.isEqual(decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8),
				user.getBytes(StandardCharsets.UTF_8));
		boolean passwordOk = MessageDigest.isEqual(hash(decoded.substring(colon + 1)), digest);
		return userOk & passwordOk;
	}

	/** Whether a state-changing request comes from a page of another site than this console. */
	static boolean crossSite(HttpServletRequest req) {
		String source = req.getHeader("Origin");
		if (source == null || source.isBlank()) {
			source = req.getHeader("Referer");
		}
		if (source == null || source.isBlank()) {
			return false; // not a browser: curl and scripts send neither
		}
		String host = req.getHeader("Host");
		try {
			URI u = URI.create(source.trim());
			return host == null || u.getRawAuthority() == null
					|| !u.getRawAuthority().equalsIgnoreCase(host.trim());
		} catch (IllegalArgumentException e) {
			return true;
		}
	}

	private byte[] hash(String password) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(salt);
			return sha.digest(password.getBytes(StandardCharsets.UTF_8));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JRE has SHA-256", e);
		}
	}

	@Override
	public boolean authorize(Object user, String role) {
		return this.user.equals(user);
	}

	@Override
	public void logout(HttpServletRequest req, HttpServletResponse resp) {
		// Basic authentication has no session to end; the browser forgets the credentials when it closes
	}
}
