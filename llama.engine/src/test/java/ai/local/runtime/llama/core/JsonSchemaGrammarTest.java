package ai.local.runtime.llama.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import ai.local.runtime.llama.ffm.Llama;
import ai.local.runtime.llamacpp.engine.GenerateSpec;
import ai.local.runtime.llamacpp.engine.Generation;
import ai.local.runtime.llamacpp.engine.LlamaModelHandle;
import ai.local.runtime.llamacpp.engine.Sampler;
import ai.local.runtime.testing.gguf.TinyLlama;

/**
 * JSON Schema to GBNF against two references: what a model generates under the grammar (random weights, high
 * temperature, many seeds) is valid for the schema by a JSON Schema validator (networknt), llama.cpp parses our
 * grammar, and (where it can) the one of its own converter (examples/json_schema_to_grammar.py, run by python3)
 * for the same schema; {@link #theReferenceConverterRuns} keeps that comparison from going quietly unused.
 */
class JsonSchemaGrammarTest {
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
	private static FfmEngine.Engine engine;
	private static LlamaModelHandle model;

	@BeforeAll
	static void load() throws Exception {
		engine = Natives.engine();
		Path file = TinyLlama.tiny("grammar", 11).write(Path.of(System.getProperty("models.dir"), "grammar.gguf"));
		model = engine.load(EngineTest.spec(file, null));
	}

	@AfterAll
	static void close() {
		if (model != null) {
			model.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"},\"count\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":99},\"color\":{\"enum\":[\"red\",\"green\"]}},\"required\":[\"ok\",\"count\",\"color\"],\"additionalProperties\":false}",
			"{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":5},\"b\":{\"type\":\"number\"}},\"additionalProperties\":false}",
			"{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"exclusiveMinimum\":-3,\"exclusiveMaximum\":12},\"minItems\":1,\"maxItems\":3}",
			"{\"type\":\"object\",\"properties\":{\"x\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"string\",\"minLength\":2,\"maxLength\":4}]}},\"required\":[\"x\"],\"additionalProperties\":false}",
			"{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3},\"next\":{\"anyOf\":[{\"type\":\"null\"},{\"$ref\":\"#/$defs/node\"}]}},\"required\":[\"v\",\"next\"],\"additionalProperties\":false}},\"$ref\":\"#/$defs/node\"}",
			"{\"type\":\"object\",\"allOf\":[{\"properties\":{\"p\":{\"const\":\"fixed\"}},\"required\":[\"p\"]},{\"properties\":{\"q\":{\"type\":[\"integer\",\"null\"]}},\"required\":[\"q\"]}]}",
			"{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\",\"format\":\"date\"},{\"type\":\"string\",\"format\":\"uuid\"},{\"type\":\"boolean\"}]}",
			"{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\",\"c\"]},\"maxItems\":2}},\"required\":[\"tags\"],\"additionalProperties\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":5}}",
			"{\"type\":\"object\",\"properties\":{\"quote\\\"d\":{\"const\":\"line\\nbreak \\\\ \\u00e9\"}},\"required\":[\"quote\\\"d\"],\"additionalProperties\":false}",
			"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}-\\\\d{3,5}$\"},\"zone\":{\"type\":\"string\",\"pattern\":\"^(utc|cet|[a-z]+/[A-Z][a-z]*)$\"}},\"required\":[\"id\",\"zone\"],\"additionalProperties\":false}",
			"{\"type\":\"array\",\"items\":{\"type\":\"string\",\"pattern\":\"^[^,x]{1,4}\\\\.(?:\\\\w|-)+?$\"},\"minItems\":1,\"maxItems\":2}",
			"{\"type\":\"string\",\"pattern\":\"a\\\"b\\\\\\\\c\\\\s?.\"}",
			"{}" })
	void generatedOutputIsValidForTheSchema(String schema) throws Exception {
		String grammar = engine.grammarOf(schema);
		var validator = SCHEMAS.getSchema(JSON.readTree(schema));
		int[] prompt = model.tokenize("<|im_start|>user\nJSON please<|im_end|>\n<|im_start|>assistant\n", true);
		int complete = 0;
		for (int seed = 0; seed < 8; seed++) {
			Generation g = model.generate(new GenerateSpec(prompt, 400, seed % 2, false,
					new Sampler(1.3f, 0, 1f, 0f, 1f, 1f, 64, 0f, 0f, Map.of(), seed), grammar, false));
			StringBuilder out = new StringBuilder();
			for (String p; (p = g.next()) != null;) {
				out.append(p);
			}
			if (g.hitLimit()) {
				continue; // cut by max tokens: not a whole document
			}
			complete++;
			JsonNode doc = JSON.readTree(out.toString());
			var errors = validator.validate(doc);
			assertTrue(errors.isEmpty(), schema + "\n" + out + "\n" + errors);
		}
		assertTrue(complete >= 2, complete + " of 8 outputs ended by themselves");
		assertTrue(parses(grammar), "llama.cpp parses our grammar");
		// the reference converter fails on some of these (a $ref at the root; a pattern with a quote and a backslash
		// gives a grammar llama.cpp's parser refuses): noted, not held against ours
		String reference = referenceGrammar(schema);
		if (reference == null || !parses(reference)) {
			System.out.println("json_schema_to_grammar.py: no usable grammar for " + schema);
		}
	}

	@Test
	void whatCannotBeExpressedIsRefusedByName() {
		var e = assertThrows(IllegalArgumentException.class,
				() -> engine.grammarOf("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":\"^(?=a)a+$\"}}}"));
		assertTrue(e.getMessage().contains("'pattern'") && e.getMessage().contains("/properties/id"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> engine.grammarOf("{\"not\":{\"type\":\"string\"}}"));
		assertTrue(e.getMessage().contains("'not'"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> engine.grammarOf("{\"$ref\":\"#/$defs/missing\"}"));
		assertTrue(e.getMessage().contains("points at nothing"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> engine.grammarOf("{\"type\":\"integer\",\"minimum\":5,\"maximum\":1}"));
		assertTrue(e.getMessage().contains("no integer"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> engine.grammarOf("{\"type\":\"strin\"}"));
		assertThrows(IllegalArgumentException.class, () -> engine.grammarOf("not json"));
	}

	@Test
	void grammarsParseInLlamaCpp() {
		assertTrue(parses(engine.grammarOf("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}")));
		assertFalse(parses("root ::= ("), "a broken grammar is refused, not a crash");
	}

	@Test
	void theReferenceConverterRuns() throws Exception {
		assertTrue(parses(referenceGrammar("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}")));
	}

	/** Whether llama.cpp accepts the grammar (its parser fails with NULL). */
	private static boolean parses(String grammar) {
		FfmModel m = (FfmModel) model;
		try (Arena a = Arena.ofConfined()) {
			Llama api = m.api;
			MemorySegment s = api.ptr(api.llama_sampler_init_grammar, m.vocab, a.allocateFrom(grammar), a.allocateFrom("root"));
			if (s.equals(MemorySegment.NULL)) {
				return false;
			}
			api.invoke(api.llama_sampler_free, s);
			return true;
		}
	}

	private static String referenceGrammar(String schema) throws Exception {
		Path src = Path.of(System.getProperty("llama.src"));
		Path file = Files.createTempFile("schema", ".json");
		Files.writeString(file, schema);
		Process p = new ProcessBuilder(List.of("python3", src.resolve("examples/json_schema_to_grammar.py").toString(),
				file.toString())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		return p.exitValue() == 0 ? out : null;
	}
}
