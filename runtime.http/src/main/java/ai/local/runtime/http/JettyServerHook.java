package ai.local.runtime.http;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.Container;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

import ai.local.runtime.api.settings.SettingsReader;

/**
 * What Felix HTTP does not let its configuration set on Jetty: the JSON error handler ({@link JsonErrorHandler})
 * and a limit on open connections ({@code max.connections}; at the limit Jetty stops accepting and closes idle
 * connections sooner). Felix HTTP's only hook on its server is the connector factory SPI, which it calls with the
 * server: this factory sets both there and adds a connector that never opens.
 */
@Component(service = ConnectorFactory.class, configurationPid = HttpConfig.PID)
public class JettyServerHook implements ConnectorFactory {
	/** Idle connections are closed after this long while the limit is reached. */
	static final long IDLE_AT_LIMIT_MILLIS = 1000;

	private final BundleContext context;
	private volatile int maxConnections;
	private volatile NetworkConnectionLimit limit;

	@Activate
	public JettyServerHook(BundleContext context, HttpConfig config) {
		this.context = context;
		configure(config);
	}

	@Modified
	void configure(HttpConfig config) {
		maxConnections = HttpSettings.of(config, SettingsReader.environment(context)).maxConnections();
		NetworkConnectionLimit l = limit;
		if (l != null) {
			l.setMaxNetworkConnectionCount(maxConnections);
		}
	}

	@Override
	public Connector createConnector(Server server) {
		server.setErrorHandler(new JsonErrorHandler());
		// called for the connectors the server has and for those Felix HTTP adds later
		server.addEventListener(new Container.Listener() {
			@Override
			public void beanAdded(Container parent, Object child) {
				if (child instanceof Connector c) {
					limit(c);
				}
			}

			@Override
			public void beanRemoved(Container parent, Object child) {
			}
		});
		return new Unbound(server);
	}

	/** Puts the listening connector under the limit (the limit counts what its accept listener sees). */
	private void limit(Connector connector) {
		if (connector instanceof Unbound || !(connector instanceof AbstractConnector c)) {
			return;
		}
		NetworkConnectionLimit l = new NetworkConnectionLimit(maxConnections, c);
		l.setEndPointIdleTimeout(IDLE_AT_LIMIT_MILLIS);
		c.addBean(l);
		limit = l;
		if (c.isStarted() && c instanceof ServerConnector running) {
			// a started connector took its accept listeners already: hand this one to its selector manager
			running.getSelectorManager().addEventListener(l);
			try {
				l.start();
			} catch (Exception e) {
				throw new IllegalStateException("cannot start the connection limit", e);
			}
		}
	}

	/** A connector Felix HTTP accepts (it wants a ServerConnector) that never opens a socket. */
	static final class Unbound extends ServerConnector {
		Unbound(Server server) {
			super(server, 1, 1);
			setHost("127.0.0.1");
		}

		@Override
		protected void doStart() {
			// listens nowhere, starts no thread: it exists to reach the server
		}

		@Override
		protected void doStop() {
		}

		@Override
		public void open() {
		}

		@Override
		public boolean isOpen() {
			return false;
		}
	}
}
