package ai.local.runtime.http;

import java.io.IOException;
import java.io.OutputStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ErrorType;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.http.codec.OllamaCall;
import ai.local.runtime.http.codec.OllamaDecoder;
import ai.local.runtime.http.codec.OllamaEncoder;
import ai.local.runtime.http.sse.OllamaLineSink;
import ai.local.runtime.http.sse.SseStream;

/**
 * Ollama's {@code POST /api/chat} and {@code POST /api/generate} over the one completion path: NDJSON lines
 * unless {@code stream} is false; a generate with {@code raw} or {@code suffix} is a text completion; a request
 * without messages (or prompt) loads the model, or unloads it with {@code keep_alive} 0, as Ollama does; tools the
 * runtime runs itself (MCP) go through the server-side tool loop.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/api/chat", "/api/generate" })
@Component(service = Servlet.class)
public class OllamaChatServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;
	private final transient OllamaNames names;

	@Activate
	public OllamaChatServlet(@Reference Completions completions, @Reference ProviderRegistry registry) {
		this.completions = completions;
		this.names = new OllamaNames(registry);
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		boolean generate = req.getRequestURI().endsWith("/generate");
		OllamaCall call = generate ? OllamaDecoder.generate(body(req)) : OllamaDecoder.chat(body(req));
		String model = call.request().model();
		Route route = completions.route(names.resolve(model), record);
		long start = System.nanoTime();
		if (call.completion() != null) {
			if (call.stream()) {
				completions.complete(route, call.completion(), new OllamaLineSink(lines(resp), model, true), record);
			} else {
				whole(resp, model, true, completions.complete(route, call.completion(), record), start);
			}
		} else if (call.loadOnly()) {
			json(resp, 200, OllamaEncoder.loaded(model, generate, loadOrUnload(route, call.keepAlive())));
		} else if (completions.serverTools(call.request(), call.toolLoop())) {
			// tools the runtime runs itself (MCP), as on every chat endpoint
			OllamaLineSink sink = call.stream() ? new OllamaLineSink(lines(resp), model, generate) : null;
			ToolLoopResult run = completions.tools(route, call.request(), call.toolLoop(), sink, record, done -> {
			});
			if (sink == null) {
				whole(resp, model, generate, run.result(), start);
			}
		} else if (call.stream()) {
			completions.stream(route, call.request(), new OllamaLineSink(lines(resp), model, generate), record);
		} else {
			whole(resp, model, generate, completions.chat(route, call.request(), record), start);
		}
	}

	/** True when it unloaded. Providers that do not load models themselves (upstreams) have nothing to do. */
	private boolean loadOrUnload(Route route, String keepAlive) {
		boolean unload = keepAlive != null && keepAlive.strip().matches("0+(\\.0*)?[a-z]*");
		try {
			if (unload) {
				completions.unload(route);
			} else {
				completions.load(route, keepAlive);
			}
		} catch (ApiException e) {
			if (e.type() != ErrorType.INVALID_REQUEST || !"model".equals(e.param())) {
				throw e;
			}
		}
		return unload;
	}

	private void whole(HttpServletResponse resp, String model, boolean generate, ChatResult result, long start)
			throws IOException {
		notes(resp, result);
		long total = System.nanoTime() - start;
		// a whole answer does not show when its prompt was done: the time is shared by the tokens of each
		long prompt = total * result.usage().promptTokens() / Math.max(1, result.usage().totalTokens());
		json(resp, 200, OllamaEncoder.done(OllamaEncoder.piece(model, generate, result.message().text(),
				result.reasoning(), result.message().toolCalls()), result.finishReason(), result.usage(),
				new OllamaEncoder.Timing(total, prompt)));
	}

	private static SseStream lines(HttpServletResponse resp) {
		return SseStream.ndjson(headers -> {
			headers.forEach(resp::setHeader);
			resp.setStatus(200);
			resp.setContentType("application/x-ndjson");
			resp.setCharacterEncoding("UTF-8");
			OutputStream out = resp.getOutputStream();
			resp.flushBuffer();
			return out;
		});
	}
}
