package ai.local.runtime.toolloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.local.runtime.api.Capability;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatResult;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.FinishReason;
import ai.local.runtime.api.ModelInfo;
import ai.local.runtime.api.ToolDefinition;
import ai.local.runtime.api.ToolLoopLimits;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.api.ToolResult;
import ai.local.runtime.api.ToolSource;
import ai.local.runtime.api.Usage;
import ai.local.runtime.testing.sink.RecordingSink;

/**
 * The loop with a provider that has no native tool calls: tools go into the system prompt, the model's
 * {@code <tool_call>} text is read as calls, results come back as TOOL_RESULT user messages, and a streaming
 * client never sees the tagged text.
 */
class LoopRunTest {
	private final ServerToolLoop loop = new ServerToolLoop();
	private final List<ChatRequest> seen = new ArrayList<>();

	/** Writes a tagged call until it is shown a TOOL_RESULT, then answers with it. */
	private final ChatProvider textOnly = new ChatProvider() {
		@Override
		public String name() {
			return "text";
		}

		@Override
		public Set<Capability> capabilities() {
			return Set.of(Capability.CHAT, Capability.STREAM);
		}

		@Override
		public List<ModelInfo> models() {
			return List.of();
		}

		@Override
		public ChatResult chat(ChatRequest request) {
			seen.add(request);
			ChatMessage last = request.messages().get(request.messages().size() - 1);
			String text = last.text().startsWith("TOOL_RESULT ")
					? "It is " + last.text().substring(last.text().indexOf(": ") + 2)
					: "<tool_call>{\"name\": \"add\", \"arguments\": {\"a\": 2, \"b\": 3}}</tool_call>";
			return new ChatResult(ChatMessage.assistant(text, List.of()), FinishReason.STOP, new Usage(10, 5));
		}

		@Override
		public void stream(ChatRequest request, ChatSink sink) {
			ChatResult r = chat(request);
			String text = r.message().text();
			sink.reasoning("mulling, ");
			for (int i = 0; i < text.length(); i += 3) {
				sink.text(text.substring(i, Math.min(text.length(), i + 3)));
			}
			sink.finish(r.finishReason(), r.usage());
		}
	};

	private final ToolSource adder = new ToolSource() {
		@Override
		public String name() {
			return "adder";
		}

		@Override
		public List<ToolDefinition> tools() {
			return List.of(new ToolDefinition("add", "adds", Map.of("type", "object"), false));
		}

		@Override
		public ToolResult call(String tool, String arguments, Duration timeout) {
			return new ToolResult(arguments.contains("\"a\":2") ? "5" : "?", false);
		}
	};

	LoopRunTest() {
		loop.configure(config());
		loop.addSource(adder, Map.of("service.id", 1L));
	}

	@AfterEach
	void stop() {
		loop.stop();
	}

	@Test
	void textToolCallsRunAndResultsGoBackAsUserMessages() {
		ToolLoopResult r = loop.run(textOnly, request(), ToolLoopLimits.DEFAULTS, null);
		assertEquals("It is 5", r.result().message().text());
		assertTrue(seen.get(0).tools().isEmpty(), "tools are described in the prompt, not passed");
		assertTrue(seen.get(0).messages().get(0).text().contains("<tool_call>"), "the prompt says how to call");
		assertEquals("TOOL_RESULT add: 5", seen.get(1).messages().get(seen.get(1).messages().size() - 1).text());
		assertEquals(List.of(ChatMessage.ASSISTANT, ChatMessage.TOOL, ChatMessage.ASSISTANT),
				r.transcript().stream().map(ChatMessage::role).toList(), "the session keeps proper tool messages");
		assertEquals(new Usage(20, 10), r.result().usage());
	}

	@Test
	void aStreamingClientSeesCallDeltasNotTheTaggedText() {
		RecordingSink client = new RecordingSink();
		loop.run(textOnly, request(), ToolLoopLimits.DEFAULTS, client);
		assertEquals("It is 5", client.text.toString());
		assertEquals("mulling, mulling, ", client.reasoning.toString(), "each step's reasoning reaches the client");
		assertEquals("add", client.calls.get(0).name());
		assertEquals(0, client.calls.get(0).index());
		assertEquals(FinishReason.STOP, client.finish);
	}

	@Test
	void aCallCutByMaxTokensIsNotRunAndTheRunEndsWithLength() {
		List<String> ran = new ArrayList<>();
		loop.addSource(new ToolSource() {
			@Override
			public String name() {
				return "echo";
			}

			@Override
			public List<ToolDefinition> tools() {
				return List.of(new ToolDefinition("echo", "echoes", Map.of("type", "object"), false));
			}

			@Override
			public ToolResult call(String tool, String arguments, Duration timeout) {
				ran.add(arguments);
				return new ToolResult(arguments, false);
			}
		}, Map.of("service.id", 2L));
		ChatProvider cut = new ChatProvider() {
			@Override
			public String name() {
				return "native";
			}

			@Override
			public Set<Capability> capabilities() {
				return Set.of(Capability.CHAT, Capability.STREAM, Capability.TOOLS);
			}

			@Override
			public List<ModelInfo> models() {
				return List.of();
			}

			@Override
			public ChatResult chat(ChatRequest request) {
				throw new UnsupportedOperationException("streams only");
			}

			@Override
			public void stream(ChatRequest request, ChatSink sink) {
				seen.add(request);
				sink.toolCall(ai.local.runtime.api.ToolCallDelta.start(0, "call_1", "echo"));
				sink.toolCall(ai.local.runtime.api.ToolCallDelta.arguments(0, "{\"text\": \"never ends"));
				sink.finish(FinishReason.LENGTH, new Usage(10, 8));
			}
		};
		ChatRequest echo = new ChatRequest("m", List.of(ChatMessage.user("say it")),
				List.of(new ToolDefinition("echo", null, null, false)), null, null, null, null, null, null, Map.of());
		RecordingSink client = new RecordingSink();
		ToolLoopResult r = loop.run(cut, echo, ToolLoopLimits.DEFAULTS, client);
		assertEquals(FinishReason.LENGTH, r.result().finishReason());
		assertEquals(FinishReason.LENGTH, client.finish);
		assertTrue(ran.isEmpty(), "the cut call ran: " + ran);
		assertEquals(1, seen.size(), "no second step with the cut call in its conversation");
	}

	private static ChatRequest request() {
		return new ChatRequest("m", List.of(ChatMessage.user("2+3?")),
				List.of(new ToolDefinition("add", null, null, false)), null, null, null, null, null, null, Map.of());
	}

	private static ToolLoopConfig config() {
		return new ToolLoopConfig() {
			@Override
			public Class<? extends java.lang.annotation.Annotation> annotationType() {
				return ToolLoopConfig.class;
			}

			@Override
			public long tool_timeout_ms() {
				return 5000;
			}

			@Override
			public int max_parallel_tools() {
				return 4;
			}
		};
	}
}
