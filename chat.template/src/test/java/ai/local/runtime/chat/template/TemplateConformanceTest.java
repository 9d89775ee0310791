package ai.local.runtime.chat.template;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every chat template in llama.cpp's {@code models/templates} (the pinned release's source) × a set of
 * conversations, rendered by this engine and by Python's Jinja2 in transformers' environment
 * ({@code reference_render.py}); the outputs must be byte-identical (or both must raise) for at least 95% of
 * the pairs. The report, with the reason for each difference, is printed and written to
 * {@code target/template-conformance.md}.
 */
class TemplateConformanceTest {
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Instant NOW = Instant.parse("2026-07-04T10:15:30Z");

	@Test
	void rendersLikePythonJinja2() throws Exception {
		Path dir = Path.of(System.getProperty("llama.src", "target/llama-src"), "models", "templates");
		assertTrue(Files.isDirectory(dir), "llama.cpp's templates are missing: " + dir);
		Map<String, String> templates = new TreeMap<>();
		try (var files = Files.list(dir)) {
			for (Path p : files.filter(f -> f.toString().endsWith(".jinja")).toList()) {
				templates.put(p.getFileName().toString().replace(".jinja", ""), Files.readString(p));
			}
		}
		assertTrue(templates.size() >= 50, "expected llama.cpp's ~70 templates, found " + templates.size());

		List<Map<String, Object>> cases = cases();
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("templates", templates);
		job.put("cases", cases);
		job.put("now", NOW.toString().replace("Z", "+00:00"));
		JsonNode reference = Jinja2Reference.render(job);

		Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
		int same = 0, total = 0, bothRaise = 0;
		StringBuilder report = new StringBuilder();
		List<String> differences = new ArrayList<>();
		for (var t : templates.entrySet()) {
			ChatTemplate compiled = null;
			String compileError = null;
			try {
				compiled = ChatTemplate.compile(t.getValue());
			} catch (TemplateException e) {
				compileError = e.getMessage();
			}
			int templateSame = 0;
			List<String> raised = new ArrayList<>();
			for (Map<String, Object> c : cases) {
				String name = (String) c.get("name");
				JsonNode ref = reference.path(t.getKey()).path(name);
				String javaOut = null, javaError = compileError;
				if (compiled != null) {
					try {
						@SuppressWarnings("unchecked")
						Map<String, Object> vars = (Map<String, Object>) c.get("variables");
						javaOut = compiled.render(vars, clock);
					} catch (TemplateException e) {
						javaError = e.getMessage();
					} catch (RuntimeException e) {
						javaError = "CRASH " + e;
					}
				}
				total++;
				boolean refRaises = ref.has("error");
				if (refRaises && javaError != null && !javaError.startsWith("CRASH")) {
					same++;
					bothRaise++;
					templateSame++;
					raised.add(name + " (" + shortError(ref.get("error").asText()) + ")");
				} else if (!refRaises && javaOut != null && javaOut.equals(ref.path("output").asText())) {
					same++;
					templateSame++;
				} else {
					differences.add(t.getKey() + " × " + name + ": " + reason(ref, javaOut, javaError));
				}
			}
			report.append("| ").append(t.getKey()).append(" | ").append(templateSame).append('/').append(cases.size())
					.append(" | ").append(String.join("; ", raised)).append(" |\n");
		}
		String summary = String.format("Chat template conformance against Python Jinja2 %s: %d of %d identical (%.1f%%; "
				+ "%d of them raise in both), %d templates x %d conversations", Jinja2Reference.version(), same, total,
				100.0 * same / total, bothRaise, templates.size(), cases.size());
		String document = "# " + summary + "\n\nConversations: " + String.join(", ", cases.stream()
				.map(c -> (String) c.get("name")).toList()) + ". A pair counts as identical when both outputs are the "
				+ "same bytes, or when both raise (the last column: the conversations the template itself refuses, with "
				+ "Jinja2's message).\n\n| template | identical | both raise |\n|---|---|---|\n" + report
				+ "\n## Differences\n\n" + (differences.isEmpty() ? "none\n" : "- " + String.join("\n- ", differences) + "\n");
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target", "template-conformance.md"), document);
		System.out.println(summary);
		differences.forEach(d -> System.out.println("  differs: " + d));
		assertTrue(same >= 0.95 * total, summary + "\n" + String.join("\n", differences));
	}

	private static String reason(JsonNode ref, String javaOut, String javaError) {
		if (ref.has("error")) {
			return "Jinja2 raises (" + ref.get("error").asText() + ") but Java " + (javaError != null ? "crashes: " + javaError
					: "renders");
		}
		if (javaError != null) {
			return "Java raises: " + javaError;
		}
		String expected = ref.path("output").asText();
		int i = 0;
		while (i < expected.length() && i < javaOut.length() && expected.charAt(i) == javaOut.charAt(i)) {
			i++;
		}
		return "first difference at char " + i + ": Jinja2 «" + snippet(expected, i) + "» Java «" + snippet(javaOut, i) + "»";
	}

	private static String shortError(String e) {
		String one = e.replace("|", "\\|").replace("\n", " ");
		return one.length() > 90 ? one.substring(0, 90) + "…" : one;
	}

	private static String snippet(String s, int at) {
		return s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 40)).replace("\n", "\\n");
	}

	/** Each conversation as the variables transformers passes a template. */
	static List<Map<String, Object>> cases() throws IOException {
		JsonNode doc;
		try (InputStream in = TemplateConformanceTest.class.getResourceAsStream("/conformance/conversations.json")) {
			doc = JSON.readTree(in);
		}
		Object tools = JSON.convertValue(doc.get("tools"), Object.class);
		List<Map<String, Object>> out = new ArrayList<>();
		for (JsonNode c : doc.get("cases")) {
			Map<String, Object> vars = new LinkedHashMap<>();
			vars.put("messages", JSON.convertValue(c.get("messages"), Object.class));
			vars.put("tools", c.path("tools").asBoolean() ? tools : null);
			vars.put("add_generation_prompt", true);
			vars.put("bos_token", "<s>");
			vars.put("eos_token", "</s>");
			if (c.has("variables")) {
				vars.putAll(JSON.convertValue(c.get("variables"), new TypeReference<Map<String, Object>>() {
				}));
			}
			out.add(Map.of("name", c.get("name").asText(), "variables", vars));
		}
		return out;
	}


}
