package ai.local.runtime.test.scripted;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.CompletionRequest;
import ai.local.runtime.api.Reasoning;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ToolCall;
import ai.local.runtime.api.ToolCallDelta;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.Usage;

/**
 * A provider for tests: answers from {@link Script}, streams piece by piece, splits tool-call arguments into
 * fragments, fails on demand ({@code fail}: at once, {@code fail-late}: after two pieces), and counts the
 * streams it saw cancelled (ask model {@code echo} for "stats") and its bundle version ("version").
 */
@Designate(ocd = ScriptedConfig.class)
@Component(configurationPid = "test.provider.scripted")
public class ScriptedProvider implements ChatProvider {
	private final AtomicInteger cancelled = new AtomicInteger();
	private volatile ScriptedConfig config;

	@Activate
	@Modified
	void configure(ScriptedConfig config) {
		this.config = config;
	}

	@Override
	public String name() {
		return config.name();
	}

	@Override
	public Set<Capability> capabilities() {
		return Set.of(Capability.CHAT, Capability.STREAM, Capability.TOOLS, Capability.EMBEDDINGS,
				Capability.COMPLETIONS);
	}

	@Override
	public List<ModelInfo> models() {
		return List.of(new ModelInfo("echo", "scripted"), new ModelInfo("tools", "scripted"),
				new ModelInfo("slow", "scripted"), new ModelInfo("json", "scripted"), new ModelInfo("embed", "scripted"),
				new ModelInfo("recall", "scripted"), new ModelInfo("tools-forever", "scripted"),
				new ModelInfo("planner", "scripted"), new ModelInfo("planner-bad", "scripted"), new ModelInfo("thinker", "scripted"));
	}

	@Override
	public ChatResult chat(ChatRequest request) {
		Script script = script(request);
		List<ToolCall> calls = new ArrayList<>();
		for (int i = 0; i < script.calls().size(); i++) {
			calls.add(new ToolCall(callId(i), script.calls().get(i).name(), Script.ARGUMENTS));
		}
		String text = String.join("", limit(script.pieces(), request));
		return new ChatResult(ChatMessage.assistant(text, calls), finish(script, request),
				new Usage(Script.promptTokens(request), Script.tokens(text) + calls.size()), null,
				String.join("", thoughts(request)));
	}

	@Override
	public void stream(ChatRequest request, ChatSink sink) {
		Script script = script(request);
		thoughts(request).forEach(sink::reasoning);
		int sent = 0;
		for (String piece : limit(script.pieces(), request)) {
			if (sink.cancelled()) {
				cancelled.incrementAndGet();
				return;
			}
			if (request.model().equals("fail-late") && sent == 2) {
				throw ApiException.upstream("scripted failure after two pieces", null);
			}
			sink.text(piece);
			sent++;
			if (request.model().equals("slow")) {
				sleep(config.slow_delay_ms());
			}
		}
		for (int i = 0; i < script.calls().size(); i++) {
			ToolDefinition tool = script.calls().get(i);
			sink.toolCall(ToolCallDelta.start(i, callId(i), tool.name()));
			// argument fragments as a model emits them: a few characters at a time
			for (int at = 0; at < Script.ARGUMENTS.length(); at += 4) {
				sink.toolCall(ToolCallDelta.arguments(i, Script.ARGUMENTS.substring(at,
						Math.min(Script.ARGUMENTS.length(), at + 4))));
			}
		}
		sink.finish(finish(script, request), new Usage(Script.promptTokens(request), sent + script.calls().size()));
	}

	/**
	 * {@code thinker} thinks ("Thinking about: " + the last user text, as reasoning) unless the request's
	 * reasoning effort is none, as a hybrid reasoning model does.
	 */
	private static List<String> thoughts(ChatRequest request) {
		if (!request.model().equals("thinker") || Boolean.FALSE.equals(Reasoning.enabled(request))) {
			return List.of();
		}
		return List.of("Thinking ", "about: ", lastText(request));
	}

	/** Continues the prompt with "You wrote: " + it (and " before " + the suffix when filling a gap). */
	@Override
	public void complete(CompletionRequest request, ChatSink sink) {
		if (request.tokenized()) {
			throw ApiException.invalidRequest("The scripted provider has no vocabulary: give the prompt as text", "prompt");
		}
		String text = "You wrote: " + request.prompt() + (request.suffix() != null ? " before " + request.suffix() : "");
		List<String> pieces = List.of(text.split("(?<= )"));
		Integer max = request.sampling().maxTokens();
		List<String> sent = max == null || max >= pieces.size() ? pieces : pieces.subList(0, max);
		sent.forEach(sink::text);
		sink.finish(sent.size() < pieces.size() ? FinishReason.LENGTH : FinishReason.STOP,
				new Usage(Script.tokens(request.prompt()), sent.size()));
	}

	@Override
	public int countTokens(ChatRequest request) {
		return Script.promptTokens(request);
	}

	@Override
	public EmbeddingResult embed(EmbeddingRequest request) {
		if (!request.model().equals("embed")) {
			throw ApiException.invalidRequest("Model '" + request.model() + "' does not make embeddings; use 'embed'",
					"model");
		}
		int dims = request.dimensions() == null ? 8 : request.dimensions();
		List<float[]> vectors = new ArrayList<>();
		int tokens = 0;
		for (int i = 0; i < request.size(); i++) {
			String input = request.texts().isEmpty() ? java.util.Arrays.toString(request.tokens().get(i))
					: request.texts().get(i);
			tokens += request.texts().isEmpty() ? request.tokens().get(i).length : Script.tokens(input);
			vectors.add(vector(input, dims));
		}
		return new EmbeddingResult(vectors, tokens);
	}

	/** A deterministic unit vector derived from the text. */
	static float[] vector(String text, int dims) {
		java.util.Random r = new java.util.Random(text.hashCode());
		float[] v = new float[dims];
		double norm = 0;
		for (int i = 0; i < dims; i++) {
			v[i] = (float) r.nextGaussian();
			norm += v[i] * v[i];
		}
		for (int i = 0; i < dims; i++) {
			v[i] /= (float) Math.sqrt(norm);
		}
		return v;
	}

	private Script script(ChatRequest request) {
		if (request.model().equals("fail")) {
			throw new IllegalStateException("scripted provider fault");
		}
		if (request.model().equals("fail-late")) {
			return Script.of(request.withModel("slow"));
		}
		if (request.model().equals("echo") && lastText(request).equals("stats")) {
			return new Script(List.of("cancelled=" + cancelled.get()), List.of());
		}
		if (request.model().equals("echo") && lastText(request).equals("version")) {
			return new Script(List.of(FrameworkUtil.getBundle(ScriptedProvider.class).getVersion().toString()), List.of());
		}
		Script script = Script.of(request);
		if (script == null) {
			throw ApiException.modelNotFound(request.model());
		}
		return script;
	}

	private static String lastText(ChatRequest request) {
		return request.messages().get(request.messages().size() - 1).text();
	}

	private static List<String> limit(List<String> pieces, ChatRequest request) {
		Integer max = request.sampling().maxTokens();
		return max == null || max >= pieces.size() ? pieces : pieces.subList(0, max);
	}

	private static FinishReason finish(Script script, ChatRequest request) {
		if (!script.calls().isEmpty()) {
			return FinishReason.TOOL_CALLS;
		}
		Integer max = request.sampling().maxTokens();
		return max != null && max < script.pieces().size() ? FinishReason.LENGTH : FinishReason.STOP;
	}

	private static String callId(int i) {
		return "call_scripted_" + i;
	}

	private static void sleep(int ms) {
		try {
			Thread.sleep(ms);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
