package ai.local.runtime.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.settings.SettingsReader;

/**
 * The providers currently registered, by name. A provider service that appears is routable at once; one that
 * goes away disappears from routing and /v1/models. Resolution: when the text before the first ':' names a
 * registered provider, that provider gets the rest; otherwise the whole id goes to the default provider (so
 * {@code qwen2.5:latest} reaches a default Ollama).
 */
@Component(service = ProviderRegistry.class, configurationPid = HttpConfig.PID)
public class ProviderRegistry {
	private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

	/** Every registration; several may share a name, and the service ranking decides which one routes. */
	private final Map<ServiceReference<ChatProvider>, ProviderEntry> registrations = new ConcurrentHashMap<>();
	private volatile Map<String, ProviderEntry> byName = Map.of();
	private volatile String defaultProvider;
	private final BundleContext context;

	@Activate
	public ProviderRegistry(BundleContext context, HttpConfig config) {
		this.context = context;
		configure(config);
	}

	@Modified
	void configure(HttpConfig config) {
		defaultProvider = HttpSettings.of(config, SettingsReader.environment(context)).defaultProvider();
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
		registrations.put(ref, new ProviderEntry(name, provider, describe(ref.getBundle())));
		rebuild();
		LOG.info("provider '{}' registered by {}", name, describe(ref.getBundle()));
	}

	void removeProvider(ChatProvider provider, ServiceReference<ChatProvider> ref) {
		ProviderEntry gone = registrations.remove(ref);
		rebuild();
		if (gone != null) {
			LOG.info("provider '{}' unregistered ({})", gone.name(), gone.bundle());
		}
	}

	private synchronized void rebuild() {
		Map<String, ProviderEntry> next = new HashMap<>();
		// ServiceReference order: highest ranking first, then the oldest registration
		registrations.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
				.forEach(e -> next.putIfAbsent(e.getValue().name(), e.getValue()));
		byName = Map.copyOf(next);
	}

	/** The route for a model id as the client sent it. */
	public Route resolve(String modelId) {
		return Route.resolve(byName, defaultProvider, modelId);
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

	/** The id a client uses for a provider's model: unprefixed for the default provider. */
	public String publicId(ProviderEntry entry, String localId) {
		return entry.name().equals(defaultProvider) ? localId : entry.name() + ":" + localId;
	}

	static String describe(Bundle b) {
		return b == null ? "an unknown bundle" : b.getSymbolicName() + " " + b.getVersion();
	}
}
