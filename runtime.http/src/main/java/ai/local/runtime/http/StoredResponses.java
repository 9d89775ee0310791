package ai.local.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The last response objects made with {@code store} ({@code GET /v1/responses/{id}}), newest kept: a bounded
 * memory of them, lost on restart. The conversation behind {@code previous_response_id} is kept apart, in the
 * session store.
 */
final class StoredResponses {
	static final int CAPACITY = 1000;

	private final Map<String, ObjectNode> byId = new LinkedHashMap<>(64, 0.75f, true) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
			return size() > CAPACITY;
		}
	};

	synchronized void put(String id, ObjectNode response) {
		byId.put(id, response.deepCopy());
	}

	synchronized ObjectNode get(String id) {
		ObjectNode r = byId.get(id);
		return r == null ? null : r.deepCopy();
	}

	synchronized boolean remove(String id) {
		return byId.remove(id) != null;
	}
}
