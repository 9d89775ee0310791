package ai.local.runtime.provider.openai;

import java.util.EnumSet;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import ai.local.runtime.api.Capability;
import ai.local.runtime.api.settings.SettingsReader;
import ai.local.runtime.provider.openai.client.OpenAiCompatibleProvider;
import ai.local.runtime.provider.openai.client.ProviderPublisher;
import ai.local.runtime.provider.openai.client.Upstream;
import ai.local.runtime.provider.openai.client.UpstreamSettings;

/** One OpenAI-compatible upstream per factory configuration {@code provider.openai~NAME}. */
@Component(configurationPid = OpenAiConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
		service = {})
@Designate(ocd = OpenAiConfig.class, factory = true)
public class OpenAiUpstreamComponent {
	static final EnumSet<Capability> CAPABILITIES = EnumSet.of(Capability.CHAT, Capability.STREAM,
			Capability.TOOLS, Capability.JSON_SCHEMA, Capability.EMBEDDINGS, Capability.VISION, Capability.COMPLETIONS,
			Capability.RERANK);

	private final ProviderPublisher publisher;

	@Activate
	public OpenAiUpstreamComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties) {
		publisher = new ProviderPublisher(String.valueOf(properties.get(Constants.SERVICE_PID)), context,
				u -> new OpenAiCompatibleProvider(u, CAPABILITIES));
		apply(config, properties);
	}

	@Modified
	void apply(OpenAiConfig config, Map<String, Object> properties) {
		String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
		String name = name(config.name(), pid);
		SettingsReader r = new SettingsReader(v -> null);
		Upstream upstream = null;
		if (name.isEmpty() || name.contains(":")) {
			r.problem("name '" + name + "' must be non-empty and without ':'");
		} else if (config.base_url().isBlank()) {
			r.problem("base.url is not set");
		} else {
			upstream = new UpstreamSettings(config.base_url(), config.api_key(), config.forward_caller_key(),
					config.path_prefix(), config.connect_timeout_ms(), config.read_timeout_ms(),
					config.max_connections(), UpstreamSettings.list(config.models()), config.models_cache_seconds())
					.resolve(name, r, null, -1, "/v1");
		}
		publisher.update(upstream, r);
	}

	/** The configured name, else the NAME of provider.openai~NAME. */
	static String name(String configured, String pid) {
		if (!configured.isBlank()) {
			return configured.trim();
		}
		int tilde = pid.indexOf('~');
		return tilde < 0 ? "" : pid.substring(tilde + 1);
	}

	@Deactivate
	void deactivate() {
		publisher.withdraw();
	}
}
