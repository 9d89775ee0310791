package ai.local.runtime.http;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.http.codec.Json;

/**
 * The last response objects made with {@code store} ({@code GET /v1/responses/{id}}), newest kept: at most
 * {@value #CAPACITY} of them and {@value #BUDGET_BYTES} bytes of JSON, in memory, lost on restart. The
 * conversation behind {@code previous_response_id} is kept apart, in the session store.
 */
final class StoredResponses {
	static final int CAPACITY = 1000;
	static final long BUDGET_BYTES = 32L << 20;

	/** Each response as its JSON bytes, least recently used first. */
	private final LinkedHashMap<String, byte[]> byId = new LinkedHashMap<>(64, 0.75f, true);
	private long bytes;

	synchronized void put(String id, ObjectNode response) {
		byte[] json = Json.bytes(response);
		byte[] old = byId.put(id, json);
		bytes += json.length - (old == null ? 0 : old.length);
		for (Iterator<Map.Entry<String, byte[]>> it = byId.entrySet().iterator(); it.hasNext()
				&& (byId.size() > CAPACITY || bytes > BUDGET_BYTES);) {
			Map.Entry<String, byte[]> eldest = it.next();
			if (eldest.getKey().equals(id)) {
				break; // the newest stays, however large
			}
			bytes -= eldest.getValue().length;
			it.remove();
		}
	}

	synchronized ObjectNode get(String id) {
		byte[] json = byId.get(id);
		return json == null ? null : (ObjectNode) Json.parse(json);
	}

	synchronized boolean remove(String id) {
		byte[] json = byId.remove(id);
		if (json != null) {
			bytes -= json.length;
		}
		return json != null;
	}
}
