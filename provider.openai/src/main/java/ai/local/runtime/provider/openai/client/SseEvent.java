package ai.local.runtime.provider.openai.client;

/** One server-sent event: its type ({@code message} when none was named) and its data lines joined by '\n'. */
public record SseEvent(String event, String data) {

	public boolean isDone() {
		return "[DONE]".equals(data.strip());
	}
}
