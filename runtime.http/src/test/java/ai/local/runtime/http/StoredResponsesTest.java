package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.local.runtime.http.codec.Json;

class StoredResponsesTest {

	@Test
	void theOldestGoFirstByCountAndBySize() {
		StoredResponses stored = new StoredResponses();
		for (int i = 0; i <= StoredResponses.CAPACITY; i++) {
			stored.put("r" + i, Json.object().put("id", "r" + i));
		}
		assertNull(stored.get("r0"), "over the count: the oldest went");
		assertEquals("r1", stored.get("r1").get("id").asText());

		String big = "x".repeat((int) (StoredResponses.BUDGET_BYTES / 3));
		stored.put("big1", Json.object().put("text", big));
		stored.put("big2", Json.object().put("text", big));
		stored.put("big3", Json.object().put("text", big));
		assertNull(stored.get("big1"), "over the byte budget: the least recently used went");
		assertNotNull(stored.get("big3"));
		assertTrue(stored.remove("big3"));
		assertFalse(stored.remove("big3"));
		stored.put("huge", Json.object().put("text", big + big + big + big));
		assertNotNull(stored.get("huge"), "the newest stays, however large");
	}
}
