package ai.local.runtime.http;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import ai.local.runtime.api.ApiException;
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
		Object message = request.getAttribute(ERROR_MESSAGE);
		int status = response.getStatus() < 400 ? 500 : response.getStatus();
		response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
		response.write(true, ByteBuffer.wrap(body(status, status >= 500 ? null
				: message instanceof String s && s.length() < 200 ? s : null)), callback);
		return true;
	}

	static byte[] body(int status, String reason) {
		ApiException e = new ApiException(ErrorPageServlet.typeOf(status), "The request could not be served: "
				+ (reason == null || reason.isBlank() ? "HTTP " + status : reason), null, "http_" + status, null, null,
				status < 500);
		return Json.bytes(ErrorEncoder.openAi(e));
	}
}
