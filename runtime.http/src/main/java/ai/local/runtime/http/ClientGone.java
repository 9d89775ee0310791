package ai.local.runtime.http;

/**
 * The client hung up while its request waited for a slot: nothing is dispatched and nothing answered; the request
 * is logged and counted as 499 (nginx's "client closed request").
 */
final class ClientGone extends RuntimeException {
	private static final long serialVersionUID = 1L;
	static final int STATUS = 499;

	ClientGone() {
		super("the client closed the connection while its request waited", null, false, false);
	}
}
