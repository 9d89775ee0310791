package ai.local.runtime.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Whether the client of a request is still connected, asked before its request is dispatched to a provider: a
 * request that waited in the queue while its client gave up must not cost an upstream call. The servlet API cannot
 * tell without writing, so this looks at Jetty's connection: closed, or a non-blocking read finds the end of the
 * stream. Without Jetty (another whiteboard implementation) every client counts as present.
 */
final class ClientPresence {
	private static final BooleanSupplier UNKNOWN = () -> true;

	private ClientPresence() {
	}

	static BooleanSupplier of(HttpServletRequest req) {
		if (!req.getProtocol().startsWith("HTTP/1.")) {
			return UNKNOWN; // an HTTP/2 connection carries other streams: reading from it would steal their frames
		}
		try {
			ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(req);
			if (jetty == null) {
				return UNKNOWN;
			}
			EndPoint endPoint = jetty.getConnectionMetaData().getConnection().getEndPoint();
			return () -> present(endPoint);
		} catch (LinkageError | RuntimeException notJetty) {
			return UNKNOWN;
		}
	}

	/**
	 * A read of one byte: -1 means the client closed its side. API clients do not send their next request before
	 * this answer (they do not pipeline), so normally nothing is there; a byte a pipelining client did send counts
	 * as present, and is lost to its next request.
	 */
	private static boolean present(EndPoint endPoint) {
		if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
			return false;
		}
		try {
			ByteBuffer probe = ByteBuffer.allocate(1);
			probe.flip(); // Jetty fills a buffer in flush mode
			return endPoint.fill(probe) >= 0;
		} catch (IOException e) {
			return false;
		}
	}
}
