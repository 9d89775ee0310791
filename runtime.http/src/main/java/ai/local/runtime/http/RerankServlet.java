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

import ai.local.runtime.api.RerankResult;
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.codec.RerankCodec;

/**
 * {@code POST /v1/rerank} (also {@code /rerank}, and llama-server's {@code /reranking}): documents scored for a
 * query by a reranking model, in-process or at an upstream that has the endpoint.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/rerank", "/api/v1/rerank", "/rerank", "/v1/reranking", "/reranking" })
@Component(service = Servlet.class)
public class RerankServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;

	@Activate
	public RerankServlet(@Reference Completions completions) {
		this.completions = completions;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		RerankCodec.RerankCall call = RerankCodec.decode(body(req));
		Route route = completions.route(call.request().model(), record);
		RerankResult result = completions.rerank(route, call.request(), record);
		json(resp, 200, RerankCodec.encode(Ids.next("rerank-"), route.requestedModel(), call, result));
	}
}
