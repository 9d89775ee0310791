package ai.local.runtime.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.LiveRequests;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ProviderStatus;
import ai.local.runtime.api.SessionStore;
import ai.local.runtime.api.ToolServers;

/**
 * One look at everything the tab shows, as plain maps and lists for JSON. Each part is gathered on its own:
 * a provider or store that fails shows its error in its place, never breaks the page.
 */
final class RuntimeStatus {
	static final int SESSIONS_SHOWN = 50;

	private RuntimeStatus() {
	}

	static Map<String, Object> of(Map<ServiceReference<ChatProvider>, ChatProvider> providers, LiveRequests live,
			SessionStore sessions, ToolServers tools) {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("providers", providers(providers));
		status.put("requests", live == null ? null : live.live());
		status.put("sessions", sessions(sessions));
		status.put("mcpServers", tools == null ? null : tools.servers());
		return status;
	}

	private static List<Map<String, Object>> providers(Map<ServiceReference<ChatProvider>, ChatProvider> providers) {
		List<Map<String, Object>> list = new ArrayList<>();
		providers.forEach((ref, p) -> {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("name", attempt(p::name));
			Bundle b = ref.getBundle();
			view.put("bundle", b == null ? null : b.getSymbolicName() + " " + b.getVersion());
			view.put("bundleId", b == null ? null : b.getBundleId());
			Object status = attempt(p::status);
			view.put("state", status instanceof ProviderStatus s ? s.state().name().toLowerCase() : "unavailable");
			view.put("detail", status instanceof ProviderStatus s ? s.detail() : status);
			view.put("capabilities", attempt(() -> p.capabilities().stream().map(Enum::name).sorted().toList()));
			Object infos = attempt(p::models);
			if (infos instanceof List<?> listed) {
				view.put("models", listed.stream().map(m -> ((ModelInfo) m).id()).toList());
				// the model manager's rows: size, context, loaded (providers that report details)
				view.put("modelDetails", listed.stream().map(m -> {
					ModelInfo info = (ModelInfo) m;
					Map<String, Object> row = new LinkedHashMap<>();
					row.put("id", info.id());
					row.put("size", info.details().get("size"));
					row.put("context", info.details().get("context_length"));
					row.put("loaded", info.details().get("loaded"));
					return row;
				}).toList());
			} else {
				view.put("modelsError", infos);
			}
			view.put("loaded", attempt(p::loaded));
			list.add(view);
		});
		list.sort((a, b) -> String.valueOf(a.get("name")).compareTo(String.valueOf(b.get("name"))));
		return list;
	}

	private static Map<String, Object> sessions(SessionStore store) {
		Map<String, Object> view = new LinkedHashMap<>();
		if (store == null) {
			view.put("error", "no session store is running (the runtime.session bundle)");
			return view;
		}
		Object listed = attempt(() -> store.list(SESSIONS_SHOWN));
		view.put(listed instanceof List ? "list" : "error", listed);
		view.put("limit", SESSIONS_SHOWN);
		return view;
	}

	private interface Part {
		Object get();
	}

	/** The part, or the message of what went wrong getting it. */
	private static Object attempt(Part part) {
		try {
			return part.get();
		} catch (ApiException e) {
			return e.getMessage();
		} catch (RuntimeException | LinkageError e) {
			return e.toString();
		}
	}
}
