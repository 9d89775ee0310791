package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ApiException;

class RouteTest {
	private final ProviderEntry llama = new ProviderEntry("llama_cpp", null, "provider.llamacpp 1.0.0", 1);
	private final ProviderEntry ollama = new ProviderEntry("ollama", null, "provider.ollama 1.0.0", 2);
	private final Map<String, ProviderEntry> both = Map.of("llama_cpp", llama, "ollama", ollama);

	@Test
	void aKnownPrefixPicksItsProviderAndIsStripped() {
		Route r = Route.resolve(both, "llama_cpp", "ollama:qwen2.5:latest");
		assertEquals(ollama, r.entry());
		assertEquals("qwen2.5:latest", r.localModel());
		assertEquals("ollama:qwen2.5:latest", r.requestedModel());
	}

	@Test
	void anUnknownPrefixSendsTheWholeIdToTheDefault() {
		Route r = Route.resolve(both, "ollama", "qwen2.5:latest");
		assertEquals(ollama, r.entry());
		assertEquals("qwen2.5:latest", r.localModel(), "the colon id stays whole");
		assertEquals(llama, Route.resolve(both, "llama_cpp", "models/phi-3").entry());
	}

	@Test
	void noPrefixGoesToTheDefault() {
		Route r = Route.resolve(both, "llama_cpp", "qwen2.5-0.5b");
		assertEquals(llama, r.entry());
		assertEquals("qwen2.5-0.5b", r.localModel());
	}

	@Test
	void aMissingDefaultIsModelNotFoundNamingTheInstalledProviders() {
		ApiException e = assertThrows(ApiException.class, () -> Route.resolve(Map.of("ollama", ollama), "llama_cpp", "x"));
		assertEquals(404, e.status());
		assertEquals("model_not_found", e.code());
		assertEquals("model", e.param());
		assertEquals(true, e.getMessage().contains("ollama"), e.getMessage());
	}

	@Test
	void aPrefixWithoutAModelIsABadRequest() {
		ApiException e = assertThrows(ApiException.class, () -> Route.resolve(both, "llama_cpp", "ollama:"));
		assertEquals(400, e.status());
	}

	@Test
	void aLeadingColonIsNotAPrefix() {
		assertEquals(":odd", Route.resolve(both, "llama_cpp", ":odd").localModel());
	}
}
