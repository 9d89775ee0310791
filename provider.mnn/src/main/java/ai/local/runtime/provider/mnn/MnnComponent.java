package ai.local.runtime.provider.mnn;

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

/** The {@code mnn} provider: published while a host is known (PID provider.mnn, else MNN_HOST). */
@Component(configurationPid = MnnConfig.PID, service = {})
@Designate(ocd = MnnConfig.class)
public class MnnComponent {
	private final BundleContext context;
	private final ProviderPublisher publisher;

	@Activate
	public MnnComponent(BundleContext context, MnnConfig config) {
		this.context = context;
		this.publisher = new ProviderPublisher(MnnConfig.PID, context, MnnProvider::new);
		apply(config);
	}

	@Modified
	void apply(MnnConfig config) {
		SettingsReader r = new SettingsReader(SettingsReader.environment(context));
		Upstream upstream = new UpstreamSettings(config.host(), config.api_key(), config.forward_caller_key(),
				config.path_prefix(), config.connect_timeout_ms(), config.read_timeout_ms(), config.max_connections(),
				UpstreamSettings.list(config.models()), config.models_cache_seconds())
				.resolve("mnn", r, "MNN", -1, "/v1");
		publisher.update(upstream, r);
	}

	@Deactivate
	void deactivate() {
		publisher.withdraw();
	}
}
