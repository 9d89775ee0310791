package ai.local.runtime.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.PullProgress;
import ai.local.runtime.http.codec.Fields;
import ai.local.runtime.http.codec.Json;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Ollama's {@code POST /api/pull}: {@code {"model": "hf.co/ORG/REPO:QUANT"}} (or {@code "name"}) pulls the model
 * into the provider that serves that id (the in-process one), streamed as NDJSON progress lines ({@code status},
 * and {@code digest}, {@code total}, {@code completed} while a file downloads) ending with
 * {@code {"status":"success"}}, or an {@code {"error": ...}} line; {@code "stream": false} answers once. A client
 * that hangs up stops the download (a later pull resumes it).
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/api/pull" })
@Component(service = Servlet.class)
public class PullServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;

	@Activate
	public PullServlet(@Reference Completions completions) {
		this.completions = completions;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		JsonNode b = Json.parse(body(req));
		String model = Fields.optString(b, "model", null);
		if (model == null || model.isBlank()) {
			model = Fields.requiredString(b, "name", null);
		}
		boolean stream = !Boolean.FALSE.equals(Fields.optBoolean(b, "stream", null));
		Route route = completions.route(model, record);
		if (!stream) {
			completions.pull(route, p -> {
			}, () -> false);
			json(resp, 200, Json.MAPPER.createObjectNode().put("status", "success"));
			return;
		}
		AtomicBoolean gone = new AtomicBoolean();
		boolean[] started = { false };
		OutputStream[] out = { null };
		try {
			completions.pull(route, p -> {
				if (gone.get()) {
					return;
				}
				try {
					if (!started[0]) {
						resp.setStatus(200);
						resp.setContentType("application/x-ndjson");
						out[0] = resp.getOutputStream();
						started[0] = true;
					}
					out[0].write((line(p) + "\n").getBytes(StandardCharsets.UTF_8));
					out[0].flush();
				} catch (IOException e) {
					gone.set(true); // the client left: the pull stops
				}
			}, gone::get);
		} catch (ApiException e) {
			if (!started[0]) {
				throw e;
			}
			if (!gone.get()) {
				out[0].write((Json.MAPPER.createObjectNode().put("error", e.getMessage()) + "\n")
						.getBytes(StandardCharsets.UTF_8));
				out[0].flush();
			}
		}
	}

	private static String line(PullProgress p) {
		ObjectNode o = Json.MAPPER.createObjectNode().put("status", p.status());
		if (p.digest() != null && !p.digest().isEmpty()) {
			o.put("digest", p.digest());
		}
		if (p.total() > 0) {
			o.put("total", p.total()).put("completed", p.completed());
		}
		return o.toString();
	}
}
