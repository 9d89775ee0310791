package ai.local.runtime.provider.openai.client;

import java.util.Hashtable;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.settings.SettingsReader;

/**
 * Keeps one provider registered as a {@link ChatProvider} service while its upstream is known: the first
 * address registers it, a change reconfigures it in place (same service, no gap in routing), none withdraws
 * it, and a withdrawn provider closes its connections once its running requests are done.
 */
public final class ProviderPublisher {
	private static final Logger LOG = LoggerFactory.getLogger(ProviderPublisher.class);

	private final String pid;
	private final BundleContext context;
	private final Function<Upstream, UpstreamProvider> factory;
	private UpstreamProvider provider;
	private ServiceRegistration<ChatProvider> registration;

	/** @param pid the configuration the upstreams come from, named in the log */
	public ProviderPublisher(String pid, BundleContext context, Function<Upstream, UpstreamProvider> factory) {
		this.pid = pid;
		this.context = context;
		this.factory = factory;
	}

	/**
	 * Publishes, reconfigures or (for null) withdraws the provider, and logs what {@code settings} found wrong
	 * with the configuration it was read from.
	 */
	public synchronized void update(Upstream upstream, SettingsReader settings) {
		settings.problems().forEach(p -> LOG.warn("{} configuration: {}", pid, p));
		if (upstream != null) {
			LOG.info("provider '{}' -> {}", upstream.provider(), upstream.baseUrl());
		} else if (!settings.problems().isEmpty()) {
			LOG.warn("{}: provider not published until the configuration is fixed", pid);
		}
		update(upstream);
	}

	private void update(Upstream upstream) {
		if (upstream == null) {
			withdraw();
		} else if (provider == null) {
			provider = factory.apply(upstream);
			registration = context.registerService(ChatProvider.class, provider, properties(upstream));
		} else {
			provider.configure(upstream);
			registration.setProperties(properties(upstream));
		}
	}

	public synchronized void withdraw() {
		if (registration == null) {
			return;
		}
		try {
			registration.unregister();
		} catch (IllegalStateException alreadyGone) {
			// the bundle is stopping and the framework unregistered it first
		}
		provider.closeWhenIdle();
		registration = null;
		provider = null;
	}

	/** The published provider, or null. */
	public synchronized UpstreamProvider provider() {
		return provider;
	}

	private static Hashtable<String, Object> properties(Upstream u) {
		Hashtable<String, Object> p = new Hashtable<>();
		p.put("provider.name", u.provider());
		p.put("upstream.url", u.baseUrl());
		return p;
	}
}
