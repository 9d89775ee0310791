package ai.local.runtime.toolloop;

import java.util.UUID;

/** Tool-call ids for calls that came without one (read from text, or from providers that give none). */
final class IdSource {

	String next() {
		return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
	}
}
