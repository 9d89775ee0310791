package ai.local.runtime.http;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.local.runtime.api.settings.SettingsReader;

/**
 * Applies the listen host and port of {@code runtime.http} (or RUNTIME_LISTEN_HOST / _PORT) to Felix HTTP's
 * own configuration PID. The launcher sets {@code org.apache.felix.http.require.config=true}, so Jetty binds
 * once, on the right address, instead of first on the default 0.0.0.0:8080.
 */
@Designate(ocd = HttpConfig.class)
@Component(configurationPid = HttpConfig.PID, immediate = true, service = {})
public class ListenerConfigurator {
	static final String FELIX_HTTP_PID = "org.apache.felix.http";
	static final String PORT = "org.osgi.service.http.port";
	static final String HOST = "org.apache.felix.http.host";
	static final String IDLE_TIMEOUT = "org.apache.felix.http.timeout";
	static final String THREADS = "org.apache.felix.http.jetty.threadpool.max";
	private static final Logger LOG = LoggerFactory.getLogger(ListenerConfigurator.class);
	static final int SPARE_THREADS = 64;

	private final ConfigurationAdmin configAdmin;
	private final BundleContext context;

	@Activate
	public ListenerConfigurator(@Reference ConfigurationAdmin configAdmin, BundleContext context, HttpConfig config)
			throws IOException {
		this.configAdmin = configAdmin;
		this.context = context;
		apply(config);
	}

	@Modified
	void apply(HttpConfig config) throws IOException {
		HttpSettings s = HttpSettings.of(config, SettingsReader.environment(context));
		s.problems().forEach(p -> LOG.warn("runtime.http: {}", p));
		String host = s.listenHost();
		if (s.refusedAsInsecure()) {
			LOG.error("runtime.http: refusing to listen on {} without API keys (anyone on the network could use the "
					+ "runtime and its tools); listening on 127.0.0.1. Set api.keys, or allow.insecure=true to serve "
					+ "the network without keys", s.host());
		}
		Configuration felix = configAdmin.getConfiguration(FELIX_HTTP_PID, "?");
		Dictionary<String, Object> props = felix.getProperties();
		int idleMillis = s.idleTimeoutSeconds() * 1000;
		// every running or queued model request holds a thread: keep room beyond them for /health, /metrics,
		// the console and requests that are refused at once
		int threads = s.maxConcurrent() + s.maxQueued() + SPARE_THREADS;
		if (props != null && Objects.equals(String.valueOf(props.get(PORT)), String.valueOf(s.port()))
				&& Objects.equals(props.get(HOST), host)
				&& Objects.equals(String.valueOf(props.get(IDLE_TIMEOUT)), String.valueOf(idleMillis))
				&& Objects.equals(String.valueOf(props.get(THREADS)), String.valueOf(threads))) {
			return;
		}
		Dictionary<String, Object> next = props == null ? new Hashtable<>() : props;
		next.put(PORT, s.port());
		next.put(HOST, host);
		next.put(IDLE_TIMEOUT, idleMillis);
		next.put(THREADS, threads);
		next.put("org.apache.felix.http.enable", true);
		felix.update(next);
		LOG.info("HTTP listener set to {}:{}", host, s.port());
	}
}
