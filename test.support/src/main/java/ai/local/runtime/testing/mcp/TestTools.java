package ai.local.runtime.testing.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/**
 * The tools the test servers offer: {@code add} (a + b), {@code upper} (text in capitals), {@code slow} (sleeps
 * {@code seconds}, 5 when not given), {@code fail} (answers with isError), {@code boom} (throws). Each server counts its calls.
 */
public final class TestTools {
	public static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());

	private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
	private final String label;

	/** @param label written into {@code upper}'s answer, so a test can tell servers apart */
	public TestTools(String label) {
		this.label = label;
	}

	public int calls(String tool) {
		AtomicInteger n = calls.get(tool);
		return n == null ? 0 : n.get();
	}

	public List<SyncToolSpecification> specifications() {
		List<SyncToolSpecification> list = new ArrayList<>();
		list.add(tool("add", "Adds two numbers", """
				{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}""",
				args -> text(format(number(args, "a") + number(args, "b")))));
		list.add(tool("upper", "Writes a text in capitals", """
				{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""",
				args -> text(String.valueOf(args.get("text")).toUpperCase() + (label.isEmpty() ? "" : " from " + label))));
		list.add(tool("slow", "Waits a number of seconds", """
				{"type":"object","properties":{"seconds":{"type":"number"}}}""", args -> {
					sleep((long) ((args.containsKey("seconds") ? number(args, "seconds") : 5) * 1000));
					return text("slept");
				}));
		list.add(tool("fail", "Always reports an error", "{\"type\":\"object\",\"properties\":{}}",
				args -> CallToolResult.builder().addTextContent("the tool failed on purpose").isError(true).build()));
		list.add(tool("boom", "Always throws", "{\"type\":\"object\",\"properties\":{}}", args -> {
			throw new IllegalStateException("boom on purpose");
		}));
		return list;
	}

	private SyncToolSpecification tool(String name, String description, String schema,
			java.util.function.Function<Map<String, Object>, CallToolResult> body) {
		McpSchema.Tool tool = McpSchema.Tool.builder(name, MAPPER, schema).description(description).build();
		return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
			calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
			return body.apply(request.arguments() == null ? Map.of() : request.arguments());
		}).build();
	}

	private static CallToolResult text(String s) {
		return CallToolResult.builder().addTextContent(s).isError(false).build();
	}

	private static double number(Map<String, Object> args, String key) {
		Object v = args.get(key);
		if (v instanceof Number n) {
			return n.doubleValue();
		}
		throw new IllegalArgumentException(key + " must be a number, not " + v);
	}

	private static String format(double d) {
		return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
