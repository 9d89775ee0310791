package ai.local.runtime.llamacpp;

import java.util.concurrent.ThreadFactory;

/** The provider's background threads: named for thread dumps, daemons so that none holds the JVM up. */
final class Daemons {
	private Daemons() {
	}

	static ThreadFactory named(String name) {
		return r -> {
			Thread t = new Thread(r, name);
			t.setDaemon(true);
			return t;
		};
	}
}
