package ai.local.runtime.api;

import java.util.List;
import java.util.Map;

/**
 * One chat completion request, whichever endpoint it came through (chat completions, responses, messages).
 *
 * @param model the provider-local model id (the router strips the provider prefix)
 * @param messages the conversation, oldest first
 * @param tools function tools the model may call; empty for none
 * @param toolChoice how the model must use the tools; null = provider default (auto when tools are given)
 * @param parallelToolCalls whether several calls may come in one turn; null = provider default
 * @param responseFormat text, json_object or json_schema; null = text
 * @param sampling sampling settings; unset values fall back to the provider's configured defaults
 * @param sessionId the session this turn belongs to, if any
 * @param user the caller's end-user id, if given
 * @param extra provider-specific request fields the router passes through untouched (never null)
 * @param callerKey the API key the client presented to the runtime, or null; only for providers configured to
 *        forward it to their upstream, never to be logged or stored
 */
public record ChatRequest(String model, List<ChatMessage> messages, List<ToolDefinition> tools,
		ToolChoice toolChoice, Boolean parallelToolCalls, ResponseFormat responseFormat, Sampling sampling,
		String sessionId, String user, Map<String, Object> extra, String callerKey) {

	public ChatRequest {
		messages = List.copyOf(messages);
		tools = tools == null ? List.of() : List.copyOf(tools);
		sampling = sampling == null ? Sampling.DEFAULTS : sampling;
		extra = extra == null ? Map.of() : Map.copyOf(extra);
	}

	/** A request without a caller key. */
	public ChatRequest(String model, List<ChatMessage> messages, List<ToolDefinition> tools, ToolChoice toolChoice,
			Boolean parallelToolCalls, ResponseFormat responseFormat, Sampling sampling, String sessionId, String user,
			Map<String, Object> extra) {
		this(model, messages, tools, toolChoice, parallelToolCalls, responseFormat, sampling, sessionId, user, extra,
				null);
	}

	public static ChatRequest of(String model, List<ChatMessage> messages) {
		return new ChatRequest(model, messages, List.of(), null, null, null, Sampling.DEFAULTS, null, null, Map.of());
	}

	public ChatRequest withModel(String newModel) {
		return new ChatRequest(newModel, messages, tools, toolChoice, parallelToolCalls, responseFormat, sampling,
				sessionId, user, extra, callerKey);
	}

	public ChatRequest withSessionId(String newSessionId) {
		return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, responseFormat, sampling,
				newSessionId, user, extra, callerKey);
	}

	public ChatRequest withMessages(List<ChatMessage> newMessages) {
		return new ChatRequest(model, newMessages, tools, toolChoice, parallelToolCalls, responseFormat, sampling,
				sessionId, user, extra, callerKey);
	}

	/** @since 1.10 */
	public ChatRequest withTools(List<ToolDefinition> newTools) {
		return new ChatRequest(model, messages, newTools, toolChoice, parallelToolCalls, responseFormat, sampling,
				sessionId, user, extra, callerKey);
	}

	public ChatRequest withCallerKey(String key) {
		return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, responseFormat, sampling,
				sessionId, user, extra, key);
	}

	/** Never shows the caller's key. */
	@Override
	public String toString() {
		return "ChatRequest[model=" + model + ", messages=" + messages.size() + ", tools=" + tools.size() + ", sessionId="
				+ sessionId + ", callerKey=" + (callerKey == null ? "none" : "***") + "]";
	}
}
