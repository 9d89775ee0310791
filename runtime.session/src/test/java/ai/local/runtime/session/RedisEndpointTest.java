package ai.local.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;

class RedisEndpointTest {

	@Test
	void readsHostsPortsAndUris() {
		assertEquals(new HostAndPort("redis.lan", 6379), RedisEndpoint.parse("redis.lan").hostAndPort());
		assertEquals(new HostAndPort("10.0.0.2", 6380), RedisEndpoint.parse(" 10.0.0.2:6380 ").hostAndPort());
		RedisEndpoint uri = RedisEndpoint.parse("rediss://ops:p%40ss@cache:6390/4");
		assertEquals(new HostAndPort("cache", 6390), uri.hostAndPort());
		assertTrue(uri.tls());
		assertEquals("ops", uri.user());
		assertEquals("p@ss", uri.password());
		assertEquals(4, uri.db());
		RedisEndpoint bare = RedisEndpoint.parse("redis://:pw@cache");
		assertEquals(6379, bare.hostAndPort().getPort());
		assertNull(bare.user());
		assertNull(bare.db());
	}

	@Test
	void readsTheSeedsHttpAndTcpForms() {
		// the C++ original's README: RUNTIME_SESSION_STORE_ENDPOINT="http://127.0.0.1:6379"
		RedisEndpoint seed = RedisEndpoint.parse("http://127.0.0.1:6379");
		assertEquals(new HostAndPort("127.0.0.1", 6379), seed.hostAndPort());
		assertFalse(seed.tls());
		assertNull(seed.user());
		assertNull(seed.password());
		assertNull(seed.db());
		assertEquals(new HostAndPort("cache", 6380), RedisEndpoint.parse("tcp://cache:6380/").hostAndPort());
		assertEquals(new HostAndPort("cache", 6379), RedisEndpoint.parse("HTTP://cache").hostAndPort());
	}

	@Test
	void rejectsWhatIsNotAnEndpoint() {
		for (String bad : new String[] { "ftp://cache:6379", "redis://cache:6379/x", "cache:port",
				"http://cache:6379/db/4", "http://cache:6379?x=1" }) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse(bad));
			assertTrue(e.getMessage().contains(bad), e.getMessage());
		}
	}

	@Test
	void neverRepeatsAPasswordInAnError() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> RedisEndpoint.parse("redis://ops:s3cret@cache:6379/x"));
		assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
		assertTrue(e.getMessage().contains("redis://***@cache:6379/x"), e.getMessage());
		assertFalse(RedisEndpoint.parse("redis://ops:s3cret@cache:6379/2").toString().contains("s3cret"));
	}
}
