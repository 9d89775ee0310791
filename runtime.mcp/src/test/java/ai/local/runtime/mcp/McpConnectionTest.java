package ai.local.runtime.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ToolResult;
import ai.local.runtime.testing.mcp.HttpMcpServer;
import ai.local.runtime.testing.mcp.StdioMcpServer;

/** The MCP client against servers built with the MCP Java SDK, over each transport. */
class McpConnectionTest {
	static HttpMcpServer server;
	static ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

	@BeforeAll
	static void start() throws Exception {
		server = new HttpMcpServer("http");
	}

	@AfterAll
	static void stop() throws Exception {
		server.close();
		scheduler.shutdownNow();
	}

	@Test
	void streamableHttpListsAndCallsTools() {
		McpConnection c = connect(McpSettings.ofUrl("t", server.streamableUrl()));
		try {
			assertEquals(List.of("add", "upper", "slow", "fail", "boom"), c.tools().stream().map(t -> t.name()).toList());
			assertEquals(new ToolResult("5", false), c.call("add", "{\"a\":2,\"b\":3}", Duration.ofSeconds(5)));
		} finally {
			c.close();
		}
	}

	@Test
	void sseTransport() {
		McpSettings s = McpSettings.ofUrl("t", server.sseUrl());
		assertEquals(McpSettings.Transport.SSE, s.transport());
		McpConnection c = connect(s);
		try {
			assertEquals(new ToolResult("HI from http", false), c.call("upper", "{\"text\":\"hi\"}", Duration.ofSeconds(5)));
		} finally {
			c.close();
		}
	}

	@Test
	void stdioTransport() {
		McpSettings s = new McpSettings("stdio", McpSettings.Transport.STDIO, null,
				List.of(StdioMcpServer.command("pipe").split(" ")), Map.of(), Duration.ofSeconds(20),
				Duration.ofSeconds(10), 4, Duration.ofSeconds(5));
		McpConnection c = connect(s);
		try {
			assertEquals(new ToolResult("HI from pipe", false), c.call("upper", "{\"text\":\"hi\"}", Duration.ofSeconds(5)));
		} finally {
			c.close();
		}
	}

	@Test
	void toolErrorsTimeoutsAndBadArgumentsAreResultsNotExceptions() {
		McpConnection c = connect(McpSettings.ofUrl("t", server.streamableUrl()));
		try {
			ToolResult failed = c.call("fail", "{}", Duration.ofSeconds(5));
			assertTrue(failed.error());
			assertEquals("the tool failed on purpose", failed.content());
			assertTrue(c.call("boom", "{}", Duration.ofSeconds(5)).error());
			ToolResult slow = c.call("slow", "{\"seconds\":3}", Duration.ofMillis(300));
			assertTrue(slow.error());
			assertTrue(slow.content().contains("timed out after 300 ms"), slow.content());
			ToolResult bad = c.call("add", "{not json", Duration.ofSeconds(5));
			assertTrue(bad.error() && bad.content().contains("JSON object"), bad.content());
			assertEquals(McpConnection.State.CONNECTED, c.state());
		} finally {
			c.close();
		}
	}

	@Test
	void reconnectsAfterTheServerComesBack() throws Exception {
		try (HttpMcpServer own = new HttpMcpServer("own")) {
			McpConnection c = connect(McpSettings.ofUrl("t", own.streamableUrl()));
			try {
				own.stop();
				c.refresh();
				await(() -> c.state() == McpConnection.State.DOWN);
				assertTrue(c.call("add", "{\"a\":1,\"b\":1}", Duration.ofSeconds(2)).error());
				own.start();
				await(() -> c.state() == McpConnection.State.CONNECTED);
				assertEquals(new ToolResult("2", false), c.call("add", "{\"a\":1,\"b\":1}", Duration.ofSeconds(5)));
			} finally {
				c.close();
			}
		}
	}

	@Test
	void unreachableServerIsDownWithTheReason() {
		McpConnection c = new McpConnection(McpSettings.ofUrl("t", "http://127.0.0.1:9/mcp"), 1, scheduler, x -> {
		});
		try {
			c.start();
			await(() -> c.state() == McpConnection.State.DOWN);
			assertFalse(c.error().isEmpty());
		} finally {
			c.close();
		}
	}

	private static McpConnection connect(McpSettings s) {
		McpConnection c = new McpConnection(s, 1, scheduler, x -> {
		});
		c.start();
		await(() -> c.state() == McpConnection.State.CONNECTED);
		return c;
	}

	private static void await(BooleanSupplier condition) {
		long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("condition not reached in 30 s");
			}
			try {
				Thread.sleep(50);
			} catch (InterruptedException e) {
				throw new AssertionError(e);
			}
		}
	}
}
