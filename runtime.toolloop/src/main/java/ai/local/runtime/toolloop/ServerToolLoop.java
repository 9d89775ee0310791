package ai.local.runtime.toolloop;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatProvider;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ChatSink;
import ai.local.runtime.api.ToolLoop;
import ai.local.runtime.api.ToolLoopLimits;
import ai.local.runtime.api.ToolLoopResult;
import ai.local.runtime.api.ToolSource;

/** The {@link ToolLoop} service: the loop ({@link LoopRun}) or, when asked, the planner ({@link PlanRun}). */
@Designate(ocd = ToolLoopConfig.class)
@Component(configurationPid = "runtime.toolloop")
public class ServerToolLoop implements ToolLoop {
	private final ToolCatalog catalog = new ToolCatalog();
	private final AtomicInteger threads = new AtomicInteger();
	private final ThreadPoolExecutor executor = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(), r -> {
				Thread t = new Thread(r, "runtime.toolloop tool " + threads.incrementAndGet());
				t.setDaemon(true);
				return t;
			});
	private volatile Duration toolTimeout;

	@Activate
	@Modified
	void configure(ToolLoopConfig config) {
		toolTimeout = Duration.ofMillis(Math.max(1, config.tool_timeout_ms()));
		int parallel = Math.max(1, config.max_parallel_tools());
		if (parallel > executor.getMaximumPoolSize()) {
			executor.setMaximumPoolSize(parallel);
			executor.setCorePoolSize(parallel);
		} else {
			executor.setCorePoolSize(parallel);
			executor.setMaximumPoolSize(parallel);
		}
		executor.allowCoreThreadTimeOut(true);
	}

	@Deactivate
	void stop() {
		executor.shutdownNow();
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addSource(ToolSource source, Map<String, Object> properties) {
		catalog.add((Long) properties.get(Constants.SERVICE_ID), source);
	}

	void removeSource(ToolSource source, Map<String, Object> properties) {
		catalog.remove((Long) properties.get(Constants.SERVICE_ID));
	}

	@Override
	public boolean offers(String toolName) {
		return catalog.find(toolName).isPresent();
	}

	@Override
	public ToolLoopResult run(ChatProvider provider, ChatRequest request, ToolLoopLimits limits, ChatSink sink) {
		Duration timeout = limits.toolTimeout() != null ? limits.toolTimeout() : toolTimeout;
		ToolBox box;
		try {
			box = new ToolBox(request.tools(), catalog, executor, timeout);
		} catch (ToolBox.UnknownTools e) {
			throw ApiException.invalidRequest("No tool source offers " + (e.names.size() == 1 ? "tool '" : "tools '")
					+ String.join("', '", e.names) + "' and the request gives no schema for "
					+ (e.names.size() == 1 ? "it" : "them") + "; GET /v1/mcp/servers lists the server-side tools",
					"tools");
		}
		Run run = new Run(provider, request, limits, sink, box);
		return limits.planner() ? new PlanRun(run).run() : new LoopRun(run).run();
	}
}
