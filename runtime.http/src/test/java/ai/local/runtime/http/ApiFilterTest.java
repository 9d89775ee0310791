package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ApiFilterTest {

	@Test
	void theLogShowsKnownPathsAndNotWhatAClientPutInAnUnknownOne() {
		assertEquals("/v1/chat/completions", ApiFilter.loggable("/v1/chat/completions"));
		assertEquals("/api/v1/models/qwen3:8b", ApiFilter.loggable("/api/v1/models/qwen3:8b"));
		assertEquals("/v1/mcp/servers", ApiFilter.loggable("/v1/mcp/servers"));
		assertEquals("/v1/(unknown path of 35 characters)",
				ApiFilter.loggable("/v1/sk-live-0123456789/chat/completions"));
		assertEquals("/(unknown path of 9 characters)", ApiFilter.loggable("/sk-secret"));
	}
}
