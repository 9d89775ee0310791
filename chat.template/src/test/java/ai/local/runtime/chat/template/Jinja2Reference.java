package ai.local.runtime.chat.template;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Python's Jinja2 in transformers' environment ({@code reference_render.py}), run by the tests as the reference. */
final class Jinja2Reference {
	static final ObjectMapper JSON = new ObjectMapper();
	private static final Path SCRIPT = Path.of("src/test/resources/conformance/reference_render.py");

	private Jinja2Reference() {
	}

	/**
	 * @param job {"templates": {name: source}, "cases": [{"name", "variables"}], "now": ISO time}
	 * @return {template: {case: {"output": text} | {"error": message}}}
	 */
	static JsonNode render(Map<String, Object> job) throws Exception {
		Process p = new ProcessBuilder("python3", SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		p.getOutputStream().write(JSON.writeValueAsBytes(job));
		p.getOutputStream().close();
		byte[] out = p.getInputStream().readAllBytes();
		assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0,
				"python3 with Jinja2 (Debian: python3-jinja2) must render the reference");
		return JSON.readTree(new String(out, StandardCharsets.UTF_8));
	}

	static String version() throws Exception {
		Process p = new ProcessBuilder("python3", "-c", "import jinja2; print(jinja2.__version__)").start();
		String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		p.waitFor(30, TimeUnit.SECONDS);
		return v;
	}
}
