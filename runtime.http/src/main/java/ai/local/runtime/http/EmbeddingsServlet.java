package ai.local.runtime.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.http.codec.EmbeddingCodec;
import ai.local.runtime.http.codec.EmbeddingCodec.EmbeddingCall;

/** {@code POST /v1/embeddings}, float or base64. */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/embeddings", "/api/v1/embeddings" })
@Component(service = Servlet.class)
public class EmbeddingsServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;

	@Activate
	public EmbeddingsServlet(@Reference Completions completions) {
		this.completions = completions;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		EmbeddingCall call = EmbeddingCodec.decode(body(req));
		Route route = completions.route(call.request().model(), record);
		EmbeddingResult result = completions.embed(route, call.request(), record);
		json(resp, 200, EmbeddingCodec.encode(call.request().model(), result, call.base64()));
	}
}
