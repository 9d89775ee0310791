package ai.local.runtime.provider.openai;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import ai.local.runtime.api.settings.SettingsReader;
import ai.local.runtime.provider.openai.client.OpenAiCompatibleProvider;
import ai.local.runtime.provider.openai.client.ProviderPublisher;
import ai.local.runtime.provider.openai.client.Upstream;
import ai.local.runtime.provider.openai.client.UpstreamSettings;

/** The {@code vllm} provider: published while a host is known (PID provider.vllm, else VLLM_HOST). */
@Component(configurationPid = VllmConfig.PID, service = {})
@Designate(ocd = VllmConfig.class)
public class VllmComponent {
	private final BundleContext context;
	private final ProviderPublisher publisher;

	@Activate
	public VllmComponent(BundleContext context, VllmConfig config) {
		this.context = context;
		this.publisher = new ProviderPublisher(VllmConfig.PID, context,
				u -> new OpenAiCompatibleProvider(u, OpenAiUpstreamComponent.CAPABILITIES, true));
		apply(config);
	}

	@Modified
	void apply(VllmConfig config) {
		SettingsReader r = new SettingsReader(SettingsReader.environment(context));
		Upstream upstream = new UpstreamSettings(config.host(), config.api_key(), config.forward_caller_key(), null,
				config.connect_timeout_ms(), config.read_timeout_ms(), config.max_connections(),
				UpstreamSettings.list(config.models()), config.models_cache_seconds())
				.resolve("vllm", r, "VLLM", 8000, "/v1");
		publisher.update(upstream, r);
	}

	@Deactivate
	void deactivate() {
		publisher.withdraw();
	}
}
