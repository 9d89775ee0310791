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
			public String[] model_aliases() {
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

			@Override
			public int max_concurrent_requests_per_provider() {
				return 48;
			}

			@Override
			public int max_queued_requests_per_provider() {
				return 192;
			}

			@Override
			public int body_timeout_seconds() {
				return 30;
			}

			@Override
			public int idle_timeout_seconds() {
				return 30;
			}

			@Override
			public int max_connections() {
				return 2048;
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
	void modelAliasesMapClientNamesOntoLocalModels() {
		Map<String, String> env = Map.of("RUNTIME_MODEL_ALIASES",
				"claude-haiku-*=small, claude-*=llama_cpp:Qwen3-8B, gpt-4o=ollama:qwen3:8b, broken");
		HttpSettings s = HttpSettings.of(config(null, 0, new String[0], null, null), env::get);
		assertEquals("small", s.aliases().apply("claude-haiku-4-5-20251001"));
		assertEquals("llama_cpp:Qwen3-8B", s.aliases().apply("claude-sonnet-4-5"));
		assertEquals("ollama:qwen3:8b", s.aliases().apply("gpt-4o"));
		assertEquals("gpt-4o-mini", s.aliases().apply("gpt-4o-mini"));
		assertEquals("qwen", s.aliases().apply("qwen"));
		assertTrue(s.problems().stream().anyMatch(p -> p.contains("'broken'")), s.problems().toString());
	}

	@Test
	void aNetworkListenerWithoutKeysStaysOnLoopback() {
		HttpSettings open = HttpSettings.of(config("0.0.0.0", 8080, new String[0], "auto", "llama_cpp"), n -> null);
		assertTrue(open.refusedAsInsecure());
		assertEquals("127.0.0.1", open.listenHost());
		assertFalse(BrowserGuard.hostAllowed("evil.example", open), "refused, it is loopback: no foreign Host");
		HttpSettings keyed = HttpSettings.of(config("0.0.0.0", 8080, new String[] { "k" }, "auto", "llama_cpp"),
				n -> null);
		assertEquals("0.0.0.0", keyed.listenHost());
		assertTrue(BrowserGuard.hostAllowed("runtime.lan", keyed), "on every interface any name of the machine");
		HttpSettings insecure = HttpSettings.of(config("0.0.0.0", 8080, new String[0], "auto", "llama_cpp"),
				n -> n.equals("RUNTIME_ALLOW_INSECURE") ? "true" : null);
		assertEquals("0.0.0.0", insecure.listenHost());
		HttpSettings lan = HttpSettings.of(config("192.168.1.20", 8080, new String[] { "k" }, "auto", "llama_cpp"),
				n -> null);
		assertTrue(BrowserGuard.hostAllowed("192.168.1.20", lan));
		assertTrue(BrowserGuard.hostAllowed("localhost", lan));
		assertFalse(BrowserGuard.hostAllowed("evil.example", lan));
	}

	@Test
	void browserRulesReadHeadersAsBrowsersSendThem() {
		assertEquals("::1", BrowserGuard.hostName("[::1]:8080"));
		assertEquals("evil.example", BrowserGuard.hostName("Evil.Example:80"));
		assertTrue(BrowserGuard.json("application/json; charset=UTF-8"));
		assertTrue(BrowserGuard.json("application/vnd.api+json"));
		assertFalse(BrowserGuard.json("text/plain"));
		assertFalse(BrowserGuard.json("multipart/form-data; boundary=x"));
		assertTrue(BrowserGuard.sameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
		assertFalse(BrowserGuard.sameOrigin("http://127.0.0.1:8081", "127.0.0.1:8080"));
		assertFalse(BrowserGuard.sameOrigin("null", "127.0.0.1:8080"));
		assertFalse(BrowserGuard.hostAllowed("127.evil.example", HttpSettings.of(config("", -1, new String[0], "", ""),
				n -> null)));
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
