package ai.local.runtime.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.TokenLogprob;
import ai.local.runtime.api.Usage;
import ai.local.runtime.http.codec.CompletionCall;
import ai.local.runtime.http.codec.CompletionCodec;
import ai.local.runtime.http.codec.Ids;
import ai.local.runtime.http.sse.TextCompletionSink;

/**
 * Text completions without the chat template: OpenAI's {@code POST /v1/completions} (prompt, {@code suffix} for
 * fill-in-the-middle, {@code echo}, streaming) and llama-server's {@code POST /infill} (input_prefix, input_suffix,
 * input_extra, in the model's FIM tokens) and {@code POST /completion}. A request without a model goes to the
 * default provider's default model, as llama-server serves one.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/v1/completions", "/api/v1/completions", "/infill", "/completion", "/completions" })
@Component(service = Servlet.class)
public class CompletionsServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;

	private final transient Completions completions;
	private final transient ProviderRegistry registry;

	@Activate
	public CompletionsServlet(@Reference Completions completions, @Reference ProviderRegistry registry) {
		this.completions = completions;
		this.registry = registry;
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		String path = req.getRequestURI();
		boolean openAi = path.endsWith("/v1/completions");
		CompletionCall call = openAi ? CompletionCodec.openAi(body(req))
				: CompletionCodec.llama(body(req), path.equals("/infill"));
		String model = call.request().model().isEmpty() ? defaultModel() : call.request().model();
		Route route = completions.route(model, record);
		String id = Ids.next("cmpl-");
		if (call.stream()) {
			TextCompletionSink sink = new TextCompletionSink(sse(resp), openAi, id, route.requestedModel(),
					call.includeUsage(), call.probabilities());
			if (call.echo()) {
				sink.echo(promptText(route, call.request()),
						call.request().extra().containsKey(TokenLogprob.PROMPT_REQUEST));
			}
			completions.complete(route, call.request(), sink, record);
			return;
		}
		if (!openAi) {
			ChatResult result = completions.complete(route, call.request(), record);
			notes(resp, result);
			json(resp, 200, CompletionCodec.llama(route.requestedModel(), result, call.probabilities()));
			return;
		}
		// several prompts: one after the other, each its own choice (a slot each time, as separate requests would)
		List<CompletionCodec.Answer> answers = new ArrayList<>();
		Usage usage = Usage.NONE;
		for (CompletionRequest request : call.requests()) {
			ChatResult result = completions.complete(route, request, record);
			notes(resp, result);
			answers.add(new CompletionCodec.Answer(call.echo() ? promptText(route, request) : "", result));
			usage = usage.plus(result.usage());
		}
		record.usage = usage;
		json(resp, 200, CompletionCodec.openAiWhole(id, System.currentTimeMillis() / 1000, route.requestedModel(), answers));
	}

	/** The prompt as text, for echo: a prompt of token ids is the model's text of them. */
	private String promptText(Route route, CompletionRequest request) {
		if (!request.tokenized()) {
			return request.prompt();
		}
		return completions.detokenize(route, request.promptTokens().stream().mapToInt(Integer::intValue).toArray());
	}

	/** llama-server's endpoints name no model: the default provider's first one. */
	private String defaultModel() {
		ProviderEntry entry = registry.defaultEntry();
		if (entry != null) {
			for (ListedModel m : registry.listModels()) {
				if (m.entry() == entry) {
					return m.id();
				}
			}
		}
		throw ApiException.invalidRequest("Missing required parameter: 'model' (the default provider lists no model)",
				"model");
	}
}
