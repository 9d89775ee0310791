package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HeadersTest {

	@Test
	void traceArraysStayAsciiAndWithinTheLimit() {
		assertEquals("[{\"r\":\"caf\\u00e9\"},{\"n\":1}]", Headers.jsonArray(List.of("{\"r\":\"café\"}", "{\"n\":1}"), 100));
		List<String> many = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			many.add("{\"step\":" + i + ",\"result\":\"" + "x".repeat(100) + "\"}");
		}
		String header = Headers.jsonArray(many, 6000);
		assertTrue(header.length() <= 6000, header.length() + " chars");
		assertTrue(header.matches("\\[(\\{\"step\":\\d+,\"result\":\"x+\"},)+\\{\"kind\":\"truncated\",\"left_out\":\\d+}]"),
				header);
	}
}
