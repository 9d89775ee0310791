package ai.local.runtime.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RedactTest {

	@Test
	void credentialsInUrlsOptionsAndErrorsAreHidden() {
		assertEquals("https://***@tools.example:8443/mcp?token=***&region=eu",
				McpSettings.ofUrl("t", "https://ops:s3cret@tools.example:8443/mcp?token=abc123&region=eu").address());
		assertEquals("http://127.0.0.1:9000/sse?api_key=***",
				McpSettings.ofUrl("t", "127.0.0.1:9000/sse?api_key=k-1").address());
		assertEquals("npx server --api-key *** --port 3 TOKEN=***",
				Redact.text("npx server --api-key sk-123 --port 3 TOKEN=xyz"));
		String error = Redact.text("Connection refused: http://u:pw@host:1/mcp?access_token=t0k");
		assertFalse(error.contains("pw") || error.contains("t0k"), error);
		assertEquals("plain text stays", Redact.text("plain text stays"));
	}
}
