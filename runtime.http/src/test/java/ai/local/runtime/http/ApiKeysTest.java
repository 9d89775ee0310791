package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

	@Test
	void noKeysMeansAuthenticationIsOff() {
		assertFalse(new ApiKeys(List.of()).enabled());
	}

	@Test
	void onlyExactKeysAreAccepted() {
		ApiKeys keys = new ApiKeys(List.of("sk-one", "sk-two"));
		assertTrue(keys.enabled());
		assertTrue(keys.accepts("sk-one"));
		assertTrue(keys.accepts("sk-two"));
		assertFalse(keys.accepts("sk-on"));
		assertFalse(keys.accepts("sk-one "));
		assertFalse(keys.accepts("SK-ONE"));
		assertFalse(keys.accepts(""));
		assertFalse(keys.accepts(null));
	}

	@Test
	void queryKeysAreReadWithoutTouchingTheBody() {
		assertEquals("k 1", ApiKeys.fromQuery("a=b&api-key=k%201"));
		assertEquals("k2", ApiKeys.fromQuery("api_key=k2"));
		assertNull(ApiKeys.fromQuery("api-keyx=1&x=api-key"));
		assertNull(ApiKeys.fromQuery(null));
	}
}
