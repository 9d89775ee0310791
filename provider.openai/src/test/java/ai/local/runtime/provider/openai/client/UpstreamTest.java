package ai.local.runtime.provider.openai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.settings.SettingsReader;

class UpstreamTest {

	@Test
	void hostsAsOperatorsWriteThem() {
		assertEquals("http://127.0.0.1:11434", Upstream.baseUrl("127.0.0.1", 11434, null, ""));
		assertEquals("http://0.0.0.0:11434", Upstream.baseUrl("0.0.0.0:11434", 11434, null, ""));
		assertEquals("https://gpu.lan:8443/v1", Upstream.baseUrl("https://gpu.lan:8443/", 8000, null, "/v1"));
		assertEquals("http://gpu.lan:8000/openai/v1", Upstream.baseUrl("gpu.lan/openai/v1", 8000, null, "/v1"));
		assertEquals("http://h:9000", Upstream.baseUrl("h:9000", -1, "/", "/v1"));
		assertEquals("http://h:9000/v1/api", Upstream.baseUrl("http://h:9000/v1", -1, "api/", "/v1"));
		assertEquals("http://[::1]:8000/v1", Upstream.baseUrl("http://[::1]:8000", -1, null, "/v1"));
		assertThrows(IllegalArgumentException.class, () -> Upstream.baseUrl("ftp://h", -1, null, ""));
	}

	@Test
	void environmentFillsWhatIsNotConfiguredAndNoHostMeansOff() {
		SettingsReader env = new SettingsReader(n -> switch (n) {
			case "OLLAMA_HOST" -> "10.0.0.5";
			case "OLLAMA_API_KEY" -> "k1";
			default -> null;
		});
		UpstreamSettings unset = new UpstreamSettings("", "", false, null, -1, -1, -1, List.of(), -1);
		Upstream u = unset.resolve("ollama", env, "OLLAMA", 11434, "");
		assertEquals("http://10.0.0.5:11434", u.baseUrl());
		assertEquals("k1", u.apiKey());
		assertEquals(5000, u.connectTimeout().toMillis());
		assertNull(unset.resolve("vllm", env, "VLLM", 8000, "/v1"));
		Upstream configured = new UpstreamSettings("gpu:1", "", true, null, 10, 20, 3, List.of(" a ", ""), 0)
				.resolve("ollama", env, "OLLAMA", 11434, "");
		assertEquals("http://gpu:1", configured.baseUrl());
		assertEquals(List.of("a"), configured.staticModels());
		assertEquals("caller", configured.keyFor("caller"));
		assertEquals("k1", configured.keyFor(null));
	}
}
