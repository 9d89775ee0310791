package ai.local.runtime.ops.itest;

import java.util.concurrent.Callable;

/** Polls a condition the runtime reaches asynchronously (FileInstall scans deploy/ once a second). */
final class Waits {
	private Waits() {
	}

	static void until(String what, Callable<Boolean> condition) throws Exception {
		long deadline = System.currentTimeMillis() + 30_000;
		Exception last = null;
		while (System.currentTimeMillis() < deadline) {
			try {
				if (condition.call()) {
					return;
				}
			} catch (Exception | AssertionError e) {
				last = e instanceof Exception ex ? ex : new Exception(e);
			}
			Thread.sleep(50);
		}
		throw new AssertionError("timed out waiting for: " + what, last);
	}
}
