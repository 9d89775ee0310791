package ai.local.runtime.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import jakarta.servlet.http.HttpServletRequest;

import ai.local.runtime.http.codec.Json;

/**
 * API key check. A key may come as {@code Authorization: Bearer k}, {@code x-api-key}, {@code api-key}, or
 * the {@code api-key} / {@code api_key} query parameter, and on chat completions as the body's {@code api_key} /
 * {@code api-key} field. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every configured key, so timing tells nothing about them.
 */
final class ApiKeys {
	private final List<byte[]> digests;

	ApiKeys(List<String> keys) {
		this.digests = keys.stream().map(ApiKeys::sha256).toList();
	}

	boolean enabled() {
		return !digests.isEmpty();
	}

	boolean accepts(String presented) {
		if (presented == null || presented.isEmpty()) {
			return false;
		}
		byte[] candidate = sha256(presented);
		boolean ok = false;
		for (byte[] d : digests) {
			ok |= MessageDigest.isEqual(d, candidate);
		}
		return ok;
	}

	/** The key a request presents, or null. */
	static String presented(HttpServletRequest req) {
		String auth = req.getHeader("Authorization");
		if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return auth.substring(7).trim();
		}
		String key = req.getHeader("x-api-key");
		if (key == null) {
			key = req.getHeader("api-key");
		}
		return key != null ? key.trim() : fromQuery(req.getQueryString());
	}

	/** Reads the query string itself: getParameter() would consume a form-encoded body. */
	static String fromQuery(String query) {
		if (query == null) {
			return null;
		}
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			String name = eq < 0 ? pair : pair.substring(0, eq);
			if (eq > 0 && (name.equals("api-key") || name.equals("api_key"))) {
				return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	/**
	 * The key a chat completions body carries as a top-level {@code api_key} or {@code api-key} string (the C++
	 * original documents that form), or null. Reads only the top level; a body that is not JSON has none.
	 */
	static String fromBody(byte[] body) {
		try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
			if (p.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
				String name = p.currentName();
				JsonToken value = p.nextToken();
				if (value == JsonToken.VALUE_STRING && (name.equals("api_key") || name.equals("api-key"))) {
					return p.getText().trim();
				}
				p.skipChildren();
			}
			return null;
		} catch (IOException e) {
			return null; // malformed: the endpoint's own parse reports it, once the key is known to be wrong
		}
	}

	private static byte[] sha256(String s) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JRE has SHA-256", e);
		}
	}
}
