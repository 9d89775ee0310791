package ai.local.runtime.session;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.SessionInfo;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.api.settings.SettingsReader;

/**
 * The SessionStore service. A configuration change builds the new backend and swaps it in while the service
 * stays registered, so requests never see a moment without a store. Every failure of the backend reaches
 * the caller as a 503 naming the store (logged once per outage, not once per request); the next request tries
 * again, so the store recovers by itself when its server is back.
 */
@Designate(ocd = SessionConfig.class)
@Component(service = SessionStore.class, configurationPid = SessionConfig.PID)
public class SessionStoreService implements SessionStore {
	private static final Logger LOG = LoggerFactory.getLogger(SessionStoreService.class);
	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private record Active(SessionSettings settings, Backend backend, String broken) {
	}

	private final UnaryOperator<String> env;
	private final Clock clock = Clock.systemUTC();
	private volatile Active active;
	private volatile boolean resetPending;
	private volatile boolean failing;

	@Activate
	public SessionStoreService(BundleContext context, SessionConfig config) {
		this(SettingsReader.environment(context), config);
	}

	SessionStoreService(UnaryOperator<String> env, SessionConfig config) {
		this.env = env;
		Active first = open(config);
		resetPending = first.settings().resetOnBoot();
		active = first;
		try {
			resetIfPending(first);
		} catch (RuntimeException e) {
			LOG.warn("session store {}: reset on boot postponed until it is reachable: {}", first.settings().describe(),
					reason(e));
		}
	}

	@Modified
	void configure(SessionConfig config) {
		Active next = open(config);
		Active old = active;
		active = next;
		if (old != null && old.backend() != null) {
			// requests that took the old store a moment ago finish on it
			CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS).execute(old.backend()::close);
		}
	}

	@Deactivate
	void stop() {
		Active a = active;
		if (a != null && a.backend() != null) {
			a.backend().close();
		}
	}

	@Override
	public List<ChatMessage> load(String sessionId) {
		return call(sessionId, b -> {
			List<ChatMessage> history = new ArrayList<>();
			for (Turn t : b.turns(sessionId)) {
				history.addAll(t.messages());
			}
			return history;
		});
	}

	@Override
	public void append(String sessionId, List<ChatMessage> messages) {
		write(sessionId, messages, Backend::append);
	}

	@Override
	public void replace(String sessionId, List<ChatMessage> history) {
		write(sessionId, history, Backend::replace);
	}

	private interface Write {
		void to(Backend backend, String sessionId, Turn turn);
	}

	/** Stores {@code messages} as one turn; an empty list writes nothing, so no history is ever emptied. */
	private void write(String sessionId, List<ChatMessage> messages, Write write) {
		if (messages.isEmpty()) {
			check(sessionId);
			return;
		}
		Turn turn = new Turn(clock.millis(), messages);
		call(sessionId, b -> {
			write.to(b, sessionId, turn);
			return null;
		});
	}

	@Override
	public boolean delete(String sessionId) {
		return call(sessionId, b -> b.delete(sessionId));
	}

	@Override
	public List<SessionInfo> list(int limit) {
		return call(null, b -> b.list(Math.max(0, limit)));
	}

	/** Runs {@code op} on the active backend; a {@code sessionId} is checked first. */
	private <T> T call(String sessionId, Function<Backend, T> op) {
		if (sessionId != null) {
			check(sessionId);
		}
		Active a = active;
		if (a.backend() == null) {
			throw ApiException.unavailable("The session store is not usable: " + a.broken()
					+ " (fix conf/" + SessionConfig.PID + ".cfg)", RETRY_AFTER);
		}
		try {
			resetIfPending(a);
			T result = op.apply(a.backend());
			if (failing) {
				failing = false;
				LOG.info("session store {} is reachable again", a.settings().describe());
			}
			return result;
		} catch (ApiException e) {
			throw e;
		} catch (RuntimeException e) {
			String reason = reason(e);
			if (!failing) {
				failing = true;
				LOG.warn("session store {} failed: {}", a.settings().describe(), reason);
			}
			throw ApiException.unavailable("The session store (" + a.settings().type().label() + " at "
					+ RedisEndpoint.redacted(a.settings().endpoint()) + ") is unavailable: " + reason
					+ ". Requests that need server-side history fail until it is back.", RETRY_AFTER);
		}
	}

	private static void check(String sessionId) {
		if (!validId(sessionId)) {
			throw ApiException.invalidRequest("session_id must be 1 to 200 letters, digits or . _ : @ - "
					+ "(starting with a letter or digit)", "session_id");
		}
	}

	/** {@code [A-Za-z0-9][A-Za-z0-9._:@-]{0,199}}, checked on every store call without a regex engine. */
	static boolean validId(String id) {
		if (id == null || id.isEmpty() || id.length() > 200 || !letterOrDigit(id.charAt(0))) {
			return false;
		}
		for (int i = 1; i < id.length(); i++) {
			char c = id.charAt(i);
			if (!letterOrDigit(c) && "._:@-".indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	private static boolean letterOrDigit(char c) {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
	}

	private Active open(SessionConfig config) {
		SessionSettings s = SessionSettings.of(config, env, Path.of(""));
		s.problems().forEach(p -> LOG.warn("{}: {}", SessionConfig.PID, p));
		try {
			Backend backend = switch (s.type()) {
			case MEMORY -> new MemoryBackend(s.maxSessions(), s.ttl(), clock);
			case FILE -> new FileBackend(Path.of(s.endpoint()), s.namespace(), s.ttl(), clock);
			case REDIS, MINIMEMORY -> new RedisBackend(s);
			};
			LOG.info("session store: {}{}", s.describe(), probe(backend));
			return new Active(s, backend, null);
		} catch (RuntimeException e) {
			LOG.error("session store {} cannot start: {}", s.describe(), reason(e));
			return new Active(s, null, reason(e));
		}
	}

	private static String probe(Backend backend) {
		if (!(backend instanceof RedisBackend redis)) {
			return "";
		}
		try {
			redis.ping();
			return ", reachable";
		} catch (RuntimeException e) {
			return ", NOT reachable yet (" + reason(e) + "); requests needing history get 503 until it is";
		}
	}

	private void resetIfPending(Active a) {
		if (!resetPending || a.backend() == null) {
			return;
		}
		synchronized (this) {
			if (!resetPending) {
				return;
			}
			try {
				a.backend().clear();
				LOG.info("session store {}: reset on boot, the namespace is empty", a.settings().describe());
			} catch (UnsupportedOperationException e) {
				LOG.error("session store {}: reset on boot is not possible, keeping the stored sessions: {}",
						a.settings().describe(), e.getMessage());
			}
			resetPending = false;
		}
	}

	/** The messages down the cause chain, each once: "Failed to connect to 127.0.0.1:6390: Connection refused". */
	static String reason(Throwable e) {
		StringBuilder text = new StringBuilder();
		for (Throwable t = e; t != null; t = t.getCause()) {
			String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
			if (text.indexOf(m) < 0) {
				text.append(text.length() == 0 ? "" : ": ").append(m);
			}
		}
		return text.toString();
	}
}
