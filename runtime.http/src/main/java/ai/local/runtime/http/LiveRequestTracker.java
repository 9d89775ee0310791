package ai.local.runtime.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

import ai.local.runtime.api.LiveRequest;
import ai.local.runtime.api.LiveRequests;

/** The API requests in progress: shown to operators, and waited for when their provider goes away. */
@Component(service = { LiveRequestTracker.class, LiveRequests.class })
public class LiveRequestTracker implements LiveRequests {
	private final Set<RequestRecord> running = ConcurrentHashMap.newKeySet();

	void started(RequestRecord r) {
		running.add(r);
	}

	void finished(RequestRecord r) {
		running.remove(r);
	}

	/** Requests routed to {@code entry} that have not finished. */
	int using(ProviderEntry entry) {
		int n = 0;
		for (RequestRecord r : running) {
			if (r.entry == entry) {
				n++;
			}
		}
		return n;
	}

	@Override
	public List<LiveRequest> live() {
		List<LiveRequest> list = new ArrayList<>();
		running.forEach(r -> list.add(r.live()));
		list.sort(Comparator.comparingLong(LiveRequest::id));
		return list;
	}
}
