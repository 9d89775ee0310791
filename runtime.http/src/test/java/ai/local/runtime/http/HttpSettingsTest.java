package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpSettingsTest {

	/** The configuration as DS would hand it over with nothing configured, but for the given values. */
	static HttpConfig config(String host, int port, String[] keys, String mode, String provider) {
		return new HttpConfig() {
			public Class<? extends Annotation> annotationType() {
				return HttpConfig.class;
			}

			public String host() {
				return host;
			}

			public int port() {
				return port;
			}

			public String[] api_keys() {
				return keys;
			}

			public String api_prefix_mode() {
				return mode;
			}

			public String provider_default() {
				return provider;
			}

			public long max_body_bytes() {
				return 16L << 20;
			}

			public int max_concurrent_requests() {
				return 64;
			}

			public int max_queued_requests() {
				return 256;
			}

			public int queue_timeout_seconds() {
				return 120;
			}

			@Override
			public int provider_drain_seconds() {
				return 30;
			}

			@Override
			public int provider_return_seconds() {
				return 10;
			}

			@Override
			public boolean log_requests() {
				return true;
			}

			@Override
			public String[] allowed_hosts() {
				return new String[0];
			}

			@Override
			public String[] cors_origins() {
				return new String[0];
			}

			@Override
			public boolean allow_insecure() {
				return false;
			}

			@Override
			public boolean metrics_public() {
				return false;
			}
		};
	}

	@Test
	void builtInDefaultsAreSecure() {
		HttpSettings s = HttpSettings.of(config("", -1, new String[0], "", ""), name -> null);
		assertEquals("127.0.0.1", s.host());
		assertEquals(8080, s.port());
		assertTrue(s.apiKeys().isEmpty());
		assertEquals(HttpSettings.PrefixMode.AUTO, s.prefixMode());
		assertEquals("llama_cpp", s.defaultProvider());
	}

	@Test
	void environmentVariablesOfTheOriginalAreHonoured() {
		Map<String, String> env = Map.of("RUNTIME_LISTEN_HOST", "0.0.0.0", "RUNTIME_LISTEN_PORT", "9000",
				"RUNTIME_API_KEYS", "a, b,,c", "RUNTIME_API_PREFIX_MODE", "V1", "RUNTIME_PROVIDER", "ollama");
		HttpSettings s = HttpSettings.of(config("", -1, new String[0], "", ""), env::get);
		assertEquals("0.0.0.0", s.host());
		assertEquals(9000, s.port());
		assertEquals(List.of("a", "b", "c"), s.apiKeys());
		assertEquals(HttpSettings.PrefixMode.V1, s.prefixMode());
		assertEquals("ollama", s.defaultProvider());
	}

	@Test
	void theConsoleShowsTheDefaultsInUseAndTheEnvironmentStillReplacesThem() throws Exception {
		// what DS hands over with nothing configured, or after the console saved its form unchanged
		HttpConfig shown = config((String) HttpConfig.class.getMethod("host").getDefaultValue(),
				(Integer) HttpConfig.class.getMethod("port").getDefaultValue(), new String[0],
				(String) HttpConfig.class.getMethod("api_prefix_mode").getDefaultValue(),
				(String) HttpConfig.class.getMethod("provider_default").getDefaultValue());
		assertEquals("127.0.0.1", shown.host());
		assertEquals(8080, shown.port());
		assertEquals("auto", shown.api_prefix_mode());
		assertEquals("llama_cpp", shown.provider_default());
		HttpSettings s = HttpSettings.of(shown, Map.of("RUNTIME_LISTEN_PORT", "9000", "RUNTIME_PROVIDER", "ollama")::get);
		assertEquals(9000, s.port());
		assertEquals("ollama", s.defaultProvider());
		assertEquals("127.0.0.1", s.host());
	}

	@Test
	void configurationWinsOverTheEnvironment() {
		Map<String, String> env = Map.of("RUNTIME_LISTEN_PORT", "9000", "RUNTIME_API_KEYS", "env-key");
		HttpSettings s = HttpSettings.of(config("::1", 0, new String[] { "cfg-1,cfg-2" }, "api", "vllm"), env::get);
		assertEquals(0, s.port());
		assertEquals("::1", s.host());
		assertEquals(List.of("cfg-1", "cfg-2"), s.apiKeys());
		assertEquals("vllm", s.defaultProvider());
	}

	@Test
	void prefixModesAllowTheirPaths() {
		assertTrue(HttpSettings.PrefixMode.AUTO.allows("/api/v1/models"));
		assertTrue(HttpSettings.PrefixMode.AUTO.allows("/v1/models"));
		assertFalse(HttpSettings.PrefixMode.V1.allows("/api/v1/models"));
		assertFalse(HttpSettings.PrefixMode.API.allows("/v1/models"));
	}

	@Test
	void badValuesFallBackToDefaultsAndAreReported() {
		HttpSettings s = HttpSettings.of(config("", -1, new String[] { "k" }, "both", ""),
				n -> n.equals("RUNTIME_LISTEN_PORT") ? "http" : null);
		assertEquals(8080, s.port());
		assertEquals(HttpSettings.PrefixMode.AUTO, s.prefixMode());
		assertEquals(List.of("k"), s.apiKeys(), "the keys still hold: a bad value never opens the API");
		assertEquals(2, s.problems().size());
		assertTrue(s.problems().get(0).contains("RUNTIME_LISTEN_PORT"), s.problems().toString());
	}
}
