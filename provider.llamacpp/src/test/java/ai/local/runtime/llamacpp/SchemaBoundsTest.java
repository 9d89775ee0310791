package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ai.local.runtime.api.ApiException;

class SchemaBoundsTest {

	private static JsonNode schema(String json) throws Exception {
		return Json.MAPPER.readTree(json.replace('\'', '"'));
	}

	@Test
	void aLowerBoundNoAnswerCanMeetIsA400BeforeAnyGrammar() throws Exception {
		// the attack run's 200-byte request that grew the JVM by 6 GB
		ApiException e = assertThrows(ApiException.class,
				() -> SchemaBounds.fit(schema("{'type':'string','minLength':1000000000}"), 1024, "response_format"));
		assertEquals(400, e.status());
		assertEquals("response_format.minLength", e.param());
		assertThrows(ApiException.class, () -> SchemaBounds.fit(schema(
				"{'type':'object','properties':{'xs':{'type':'array','minItems':5000}}}"), 1024, "tools[0].function.parameters"));
	}

	@Test
	void upperBoundsBeyondTheBudgetAreLoweredToIt() throws Exception {
		JsonNode s = schema("{'type':'object','properties':{'name':{'type':'string','maxLength':1000000000},"
				+ "'tags':{'type':'array','maxItems':99999999,'items':{'type':'string','maxLength':8}}}}");
		SchemaBounds.fit(s, 100, "p");
		assertEquals(100 * SchemaBounds.CHARS_PER_TOKEN, s.at("/properties/name/maxLength").asInt());
		assertEquals(100, s.at("/properties/tags/maxItems").asInt());
		assertEquals(8, s.at("/properties/tags/items/maxLength").asInt(), "a reachable bound stays");
	}

	@Test
	void hugeRepetitionsInPatternsAreRefused() throws Exception {
		ApiException e = assertThrows(ApiException.class,
				() -> SchemaBounds.fit(schema("{'type':'string','pattern':'^a{1,2000000000}$'}"), 1024, "p"));
		assertTrue(e.getMessage().contains("repeats"), e.getMessage());
		SchemaBounds.fit(schema("{'type':'string','pattern':'^[A-Z]{3}$'}"), 1024, "p");
	}
}
