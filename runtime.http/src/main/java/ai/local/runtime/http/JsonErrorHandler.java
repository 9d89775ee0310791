package ai.local.runtime.http;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import ai.local.runtime.http.codec.ErrorEncoder;
import ai.local.runtime.http.codec.Json;

/**
 * Jetty's own error answers (a request it cannot parse: 400, a URI over its limit: 414, headers over theirs: 431,
 * and whatever reaches the server's handler) as the API's JSON error object instead of its HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

	@Override
	public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
		fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
		return ByteBuffer.wrap(body(status, reason));
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) {
		int status = response.getStatus() < 400 ? 500 : response.getStatus();
		response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
		response.write(true, ByteBuffer.wrap(body(status, request.getAttribute(ERROR_MESSAGE))), callback);
		return true;
	}

	private static byte[] body(int status, Object reason) {
		return Json.bytes(ErrorEncoder.openAi(ErrorPageServlet.containerError(status, reason)));
	}
}
