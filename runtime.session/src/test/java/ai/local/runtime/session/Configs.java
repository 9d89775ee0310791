package ai.local.runtime.session;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link SessionConfig} as Config Admin would give it: the named values, defaults for the rest. */
final class Configs {
	private Configs() {
	}

	static SessionConfig of(Object... keyValues) {
		Map<String, Object> values = new HashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			values.put((String) keyValues[i], keyValues[i + 1]);
		}
		return (SessionConfig) Proxy.newProxyInstance(SessionConfig.class.getClassLoader(),
				new Class<?>[] { SessionConfig.class }, (proxy, method, args) -> {
					if (method.getName().equals("annotationType")) {
						return SessionConfig.class;
					}
					return values.getOrDefault(method.getName(), method.getDefaultValue());
				});
	}

	/** No environment variables: the tests see only what they configure. */
	static String noEnv(String name) {
		return null;
	}
}
