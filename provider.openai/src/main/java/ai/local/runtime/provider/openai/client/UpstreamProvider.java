package ai.local.runtime.provider.openai.client;

import ai.local.runtime.api.ChatProvider;

/** A provider in front of one upstream server, whose address and limits can change while it serves. */
public interface UpstreamProvider extends ChatProvider {

	/** New settings for the next requests; requests already running keep theirs. */
	void configure(Upstream upstream);

	Upstream upstream();

	/** Releases its connections once the requests still running have finished. */
	void closeWhenIdle();
}
