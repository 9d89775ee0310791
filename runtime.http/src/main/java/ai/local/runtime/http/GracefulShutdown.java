package ai.local.runtime.http;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stop signal (SIGTERM, Ctrl-C, a service manager) stops the framework in order before the JVM exits: provider
 * bundles stop first (they were installed last), and each waits for its running requests
 * ({@code provider.drain.seconds}) while Jetty still serves them; the MCP client closes its servers' processes;
 * the session stores close. Without this the JVM would end mid-stream.
 */
@Component(immediate = true, service = {})
public class GracefulShutdown {
	private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
	/** Longest wait for the framework to stop; the drain of each provider is bounded on its own. */
	static final long STOP_MILLIS = 90_000;

	private final Thread hook;

	@Activate
	public GracefulShutdown(BundleContext context) {
		Framework framework = (Framework) context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
		this.hook = new Thread(() -> {
			LOG.info("stop signal: stopping the runtime (running requests may finish, up to provider.drain.seconds)");
			try {
				framework.stop();
				framework.waitForStop(STOP_MILLIS);
			} catch (BundleException e) {
				LOG.warn("the framework did not stop cleanly: {}", e.toString());
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "runtime shutdown");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	@Deactivate
	void stop() {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException shuttingDown) {
			// the hook is what is stopping us
		}
	}
}
