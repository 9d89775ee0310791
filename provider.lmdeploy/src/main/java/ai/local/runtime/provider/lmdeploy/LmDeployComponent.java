package ai.local.runtime.provider.lmdeploy;

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

/** The {@code lmdeploy} provider: published while a host is known (PID provider.lmdeploy, else LMDEPLOY_HOST). */
@Component(configurationPid = LmDeployConfig.PID, service = {})
@Designate(ocd = LmDeployConfig.class)
public class LmDeployComponent {
	private final BundleContext context;
	private final ProviderPublisher publisher;

	@Activate
	public LmDeployComponent(BundleContext context, LmDeployConfig config) {
		this.context = context;
		this.publisher = new ProviderPublisher(LmDeployConfig.PID, context, LmDeployProvider::new);
		apply(config);
	}

	@Modified
	void apply(LmDeployConfig config) {
		SettingsReader r = new SettingsReader(SettingsReader.environment(context));
		Upstream upstream = new UpstreamSettings(config.host(), config.api_key(), config.forward_caller_key(), null,
				config.connect_timeout_ms(), config.read_timeout_ms(), config.max_connections(),
				UpstreamSettings.list(config.models()), config.models_cache_seconds())
				.resolve("lmdeploy", r, "LMDEPLOY", 23333, "/v1");
		publisher.update(upstream, r);
	}

	@Deactivate
	void deactivate() {
		publisher.withdraw();
	}
}
