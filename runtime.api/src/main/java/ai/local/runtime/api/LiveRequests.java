package ai.local.runtime.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The API requests the router is serving now; registered by the HTTP router. */
@ProviderType
public interface LiveRequests {

	/** Oldest first. */
	List<LiveRequest> live();
}
