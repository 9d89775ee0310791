package ai.local.runtime.provider.ollama;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import ai.local.runtime.api.settings.SettingsReader;
import ai.local.runtime.provider.openai.client.ProviderPublisher;
import ai.local.runtime.provider.openai.client.Upstream;
import ai.local.runtime.provider.openai.client.UpstreamSettings;

/** The {@code ollama} provider: published while a host is known (PID provider.ollama, else OLLAMA_HOST). */
@Component(configurationPid = OllamaConfig.PID, service = {})
@Designate(ocd = OllamaConfig.class)
public class OllamaComponent {
	static final int DEFAULT_PORT = 11434;

	private final BundleContext context;
	private final ProviderPublisher publisher;
	private volatile OllamaDefaults defaults = new OllamaDefaults(null, null);

	@Activate
	public OllamaComponent(BundleContext context, OllamaConfig config) {
		this.context = context;
		this.publisher = new ProviderPublisher(OllamaConfig.PID, context, u -> new OllamaProvider(u, () -> defaults));
		apply(config);
	}

	@Modified
	void apply(OllamaConfig config) {
		SettingsReader r = new SettingsReader(SettingsReader.environment(context));
		Upstream upstream = new UpstreamSettings(config.host(), config.api_key(), config.forward_caller_key(), "",
				config.connect_timeout_ms(), config.read_timeout_ms(), config.max_connections(), null,
				config.models_cache_seconds()).resolve("ollama", r, "OLLAMA", DEFAULT_PORT, "");
		defaults = new OllamaDefaults(config.num_ctx() > 0 ? config.num_ctx() : null,
				config.keep_alive().isBlank() ? null : config.keep_alive().trim());
		publisher.update(upstream, r);
	}

	@Deactivate
	void deactivate() {
		publisher.withdraw();
	}
}
