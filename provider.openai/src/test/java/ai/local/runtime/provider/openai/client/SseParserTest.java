package ai.local.runtime.provider.openai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseParserTest {

	private static List<SseEvent> parse(String stream) throws IOException {
		SseParser p = new SseParser();
		List<SseEvent> out = new ArrayList<>();
		BufferedReader r = new BufferedReader(new StringReader(stream));
		String line;
		while ((line = r.readLine()) != null) {
			SseEvent e = p.accept(line);
			if (e != null) {
				out.add(e);
			}
		}
		SseEvent last = p.end();
		if (last != null) {
			out.add(last);
		}
		return out;
	}

	@Test
	void eventsEndAtBlankLinesWhateverTheLineEndings() throws IOException {
		List<SseEvent> events = parse("data: {\"a\":1}\n\ndata: {\"b\":2}\r\n\r\ndata:{\"c\":3}\r\rdata: [DONE]\n\n");
		assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "[DONE]"), events.stream().map(SseEvent::data).toList());
		assertEquals(true, events.get(3).isDone());
	}

	@Test
	void commentsIdsAndRetriesAreSkippedAndDataLinesJoin() throws IOException {
		List<SseEvent> events = parse(": ping\n\nid: 7\nretry: 1000\nevent: error\ndata: line one\ndata:  line two\n\n");
		assertEquals(1, events.size());
		assertEquals("error", events.get(0).event());
		assertEquals("line one\n line two", events.get(0).data());
	}

	@Test
	void aLastEventWithoutItsBlankLineIsStillDelivered() throws IOException {
		assertEquals("message", parse("data: tail").get(0).event());
		assertNull(new SseParser().end());
	}
}
