package ai.local.runtime.api;

/**
 * A streamed piece of a tool call. The first piece of call {@code index} carries its id and name; later
 * pieces carry only argument fragments (id and name null).
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {

	public static ToolCallDelta start(int index, String id, String name) {
		return new ToolCallDelta(index, id, name, "");
	}

	public static ToolCallDelta arguments(int index, String fragment) {
		return new ToolCallDelta(index, null, null, fragment);
	}

	public boolean isStart() {
		return id != null;
	}
}
