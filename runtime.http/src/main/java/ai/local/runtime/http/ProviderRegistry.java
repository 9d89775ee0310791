package ai.local.runtime.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.settings.SettingsReader;

/**
 * The providers currently registered, by name. A provider service that appears is routable at once; one that
 * goes away disappears from routing and /v1/models. Resolution: when the text before the first ':' names a
 * registered provider, that provider gets the rest; otherwise the whole id goes to the default provider (so
 * {@code qwen2.5:latest} reaches a default Ollama).
 * <p>
 * Swapping a provider bundle loses nothing: its service is unregistered while the bundle stops, and the
 * unbind below holds the bundle until the requests routed to it have finished (at most
 * {@code provider.drain.seconds}); requests that arrive meanwhile for a provider whose bundle is stopping wait
 * for it to come back (at most {@code provider.return.seconds}, cut short when the bundle is uninstalled).
 */
@Component(service = ProviderRegistry.class, configurationPid = HttpConfig.PID)
public class ProviderRegistry {
	private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

	/** A provider whose bundle was stopping when its service went: it may come back updated. */
	private record Departure(long bundleId, long deadlineNanos) {
	}

	/** Every registration; several may share a name, and the service ranking decides which one routes. */
	private final Map<ServiceReference<ChatProvider>, ProviderEntry> registrations = new ConcurrentHashMap<>();
	private final Map<String, Departure> departed = new ConcurrentHashMap<>();
	private volatile Map<String, ProviderEntry> byName = Map.of();
	private volatile String defaultProvider;
	private volatile ModelAliases aliases = ModelAliases.NONE;
	private volatile long drainNanos;
	private volatile long returnNanos;
	private volatile boolean stopping;
	private final BundleContext context;
	private final LiveRequestTracker live;
	private final BundleListener uninstalls = this::bundleChanged;
	private final StartupGate startup;

	@Activate
	public ProviderRegistry(BundleContext context, @Reference LiveRequestTracker live, HttpConfig config) {
		this.context = context;
		this.live = live;
		this.startup = new StartupGate(context);
		configure(config);
		context.addBundleListener(uninstalls);
	}

	@Modified
	void configure(HttpConfig config) {
		HttpSettings settings = HttpSettings.of(config, SettingsReader.environment(context));
		defaultProvider = settings.defaultProvider();
		aliases = settings.aliases();
		drainNanos = TimeUnit.SECONDS.toNanos(Math.max(0, config.provider_drain_seconds()));
		returnNanos = TimeUnit.SECONDS.toNanos(Math.max(0, config.provider_return_seconds()));
	}

	@Deactivate
	void stop() {
		// the router itself is going: nothing will be routed, so no provider is held for its requests
		stopping = true;
		context.removeBundleListener(uninstalls);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	void addProvider(ChatProvider provider, ServiceReference<ChatProvider> ref) {
		String name;
		try {
			name = provider.name();
		} catch (RuntimeException e) {
			LOG.error("provider service {} from {} failed to name itself; not routable",
					ref.getProperty(Constants.SERVICE_ID), describe(ref.getBundle()), e);
			return;
		}
		Bundle bundle = ref.getBundle();
		registrations.put(ref, new ProviderEntry(name, provider, describe(bundle),
				bundle == null ? -1 : bundle.getBundleId()));
		departed.remove(name);
		rebuild();
		LOG.info("provider '{}' registered by {}", name, describe(bundle));
	}

	/**
	 * Called while the service is being unregistered, before its component is deactivated: waiting here keeps
	 * the provider working for the requests already routed to it.
	 */
	void removeProvider(ChatProvider provider, ServiceReference<ChatProvider> ref) {
		ProviderEntry gone = registrations.remove(ref);
		if (gone == null) {
			return;
		}
		Bundle bundle = context.getBundle(gone.bundleId());
		if (bundle != null && bundle.getState() == Bundle.STOPPING
				&& registrations.values().stream().noneMatch(e -> e.name().equals(gone.name()))) {
			departed.put(gone.name(), new Departure(gone.bundleId(), System.nanoTime() + returnNanos));
		}
		rebuild();
		LOG.info("provider '{}' unregistered ({})", gone.name(), gone.bundle());
		drain(gone);
	}

	private void drain(ProviderEntry gone) {
		int running = live.using(gone);
		if (running == 0 || stopping) {
			return;
		}
		LOG.info("provider '{}': letting {} running requests finish", gone.name(), running);
		long deadline = System.nanoTime() + drainNanos;
		while ((running = live.using(gone)) > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (running > 0) {
			LOG.warn("provider '{}': {} requests still running after {} s (provider.drain.seconds); they may fail",
					gone.name(), running, TimeUnit.NANOSECONDS.toSeconds(drainNanos));
		}
	}

	private void bundleChanged(BundleEvent event) {
		if (event.getType() == BundleEvent.UNINSTALLED
				&& departed.values().removeIf(d -> d.bundleId() == event.getBundle().getBundleId())) {
			wake();
		}
	}

	private synchronized void rebuild() {
		Map<String, ProviderEntry> next = new HashMap<>();
		// ServiceReference order: highest ranking first, then the oldest registration
		registrations.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
				.forEach(e -> next.putIfAbsent(e.getValue().name(), e.getValue()));
		byName = Map.copyOf(next);
		notifyAll();
	}

	private synchronized void wake() {
		notifyAll();
	}

	/** The route for a model id as the client sent it. */
	public Route resolve(String modelId) {
		awaitStartup();
		if (!departed.isEmpty()) {
			awaitReturn(modelId);
		}
		String target = aliases.apply(modelId);
		Route route = Route.resolve(byName, defaultProvider, target);
		return target.equals(modelId) ? route : new Route(route.entry(), route.localModel(), modelId);
	}

	/** Whether the bundles found in deploy/ at start have all been started, so that routing is complete. */
	public boolean started() {
		return startup.isOpen();
	}

	/**
	 * Holds a request that arrives while the runtime is still starting its provider bundles (at most
	 * {@code provider.return.seconds}): answered as if the runtime were empty it would get a 404 that no retry
	 * would cure. Still starting after that: 503 with Retry-After.
	 */
	public void awaitStartup() {
		if (!startup.isOpen() && !startup.await(returnNanos)) {
			throw ApiException.unavailable("The runtime is starting: the provider bundles in deploy/ are not all "
					+ "started yet", Duration.ofSeconds(startup.retryAfterSeconds()));
		}
	}

	/** Whether {@code entry} still routes (it may have gone between resolving and using it). */
	boolean routes(ProviderEntry entry) {
		return byName.get(entry.name()) == entry;
	}

	/** Waits while the provider that would serve {@code modelId} is being updated. */
	private synchronized void awaitReturn(String modelId) {
		String name;
		while ((name = awaited(modelId)) != null) {
			Departure d = departed.get(name);
			long left = d == null ? 0 : d.deadlineNanos() - System.nanoTime();
			if (left <= 0) {
				departed.remove(name);
				return;
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** The departed provider {@code modelId} would go to, or null. */
	private String awaited(String modelId) {
		Map<String, ProviderEntry> now = byName;
		int colon = modelId.indexOf(':');
		if (colon > 0) {
			String prefix = modelId.substring(0, colon);
			if (now.containsKey(prefix)) {
				return null;
			}
			if (departed.containsKey(prefix)) {
				return prefix;
			}
		}
		String def = defaultProvider;
		return !now.containsKey(def) && departed.containsKey(def) ? def : null;
	}

	/** The routable providers, default first, then by name. */
	public List<ProviderEntry> providers() {
		List<ProviderEntry> list = new ArrayList<>(byName.values());
		String def = defaultProvider;
		list.sort(Comparator.comparing((ProviderEntry e) -> !e.name().equals(def)).thenComparing(ProviderEntry::name));
		return list;
	}

	public ProviderEntry defaultEntry() {
		return byName.get(defaultProvider);
	}

	public String defaultProviderName() {
		return defaultProvider;
	}

	/**
	 * Every provider's models under their public ids; a provider that cannot list them now is left out (and
	 * logged), never failing the list.
	 */
	List<ListedModel> listModels() {
		awaitStartup();
		List<ListedModel> out = new ArrayList<>();
		for (ProviderEntry e : providers()) {
			try {
				for (ModelInfo m : e.provider().models()) {
					out.add(new ListedModel(publicId(e, m.id()), e, m));
				}
			} catch (RuntimeException | LinkageError ex) {
				LOG.warn("provider '{}' ({}) failed to list its models: {}", e.name(), e.bundle(), ex.toString());
			}
		}
		return out;
	}

	/** The id a client uses for a provider's model: unprefixed for the default provider. */
	public String publicId(ProviderEntry entry, String localId) {
		return entry.name().equals(defaultProvider) ? localId : entry.name() + ":" + localId;
	}

	static String describe(Bundle b) {
		return b == null ? "an unknown bundle" : b.getSymbolicName() + " " + b.getVersion();
	}
}
