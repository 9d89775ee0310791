package ai.local.runtime.http;

import java.nio.ByteBuffer;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.osgi.service.component.annotations.Component;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.http.codec.ErrorEncoder;
import ai.local.runtime.http.codec.Json;

/**
 * Errors Jetty answers before any servlet sees the request (a request line it cannot parse: 400, a URI over its
 * limit: 414, headers over theirs: 431) as the API's JSON error object, not Jetty's HTML page. Felix HTTP gives no
 * other hook on its Jetty server than the connector factory SPI, which it calls with the server: this factory
 * installs the error handler there and adds a connector that listens nowhere.
 */
@Component(service = ConnectorFactory.class)
public class JettyErrors implements ConnectorFactory {

	@Override
	public Connector createConnector(Server server) {
		server.setErrorHandler(new JsonErrorHandler());
		return new Unbound(server);
	}

	/** A connector Felix HTTP accepts (it wants a ServerConnector) that never opens a socket. */
	static final class Unbound extends ServerConnector {
		Unbound(Server server) {
			super(server, 1, 1);
			setHost("127.0.0.1");
		}

		@Override
		protected void doStart() {
			// listens nowhere, starts no thread: it exists to hand the error handler to the server
		}

		@Override
		protected void doStop() {
		}

		@Override
		public void open() {
		}

		@Override
		public boolean isOpen() {
			return false;
		}
	}

	static byte[] body(int status, String reason) {
		ApiException e = new ApiException(ErrorPageServlet.typeOf(status), "The request could not be served: "
				+ (reason == null || reason.isBlank() ? "HTTP " + status : reason), null, "http_" + status, null, null,
				status < 500);
		return Json.bytes(ErrorEncoder.openAi(e));
	}

	static final class JsonErrorHandler extends ErrorHandler {

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
	}
}
