package ai.local.runtime.provider.openai.client;

import java.util.Hashtable;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import ai.local.runtime.api.ChatProvider;

/**
 * Keeps one provider registered as a {@link ChatProvider} service while its upstream is known: the first
 * address registers it, a change reconfigures it in place (same service, no gap in routing), none withdraws
 * it, and a withdrawn provider closes its connections once its running requests are done.
 */
public final class ProviderPublisher {
	private final BundleContext context;
	private final Function<Upstream, UpstreamProvider> factory;
	private UpstreamProvider provider;
	private ServiceRegistration<ChatProvider> registration;

	public ProviderPublisher(BundleContext context, Function<Upstream, UpstreamProvider> factory) {
		this.context = context;
		this.factory = factory;
	}

	/** Publishes, reconfigures or (for null) withdraws the provider. */
	public synchronized void update(Upstream upstream) {
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
