package ai.local.runtime.llamacpp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.local.runtime.api.ApiException;

class SchemaCheckTest {
	private static final ObjectMapper JSON = new ObjectMapper();

	private static void check(String schema) throws Exception {
		SchemaCheck.check(JSON.readTree(schema), "tools[0].function.parameters");
	}

	@Test
	void acceptsWhatToolsAndStructuredOutputsUse() throws Exception {
		check("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"x\"},"
				+ "\"unit\":{\"enum\":[\"c\",\"f\"]},\"when\":{\"$ref\":\"#/$defs/When\"},\"tags\":{\"type\":\"array\","
				+ "\"items\":{\"type\":[\"string\",\"null\"]},\"maxItems\":3},\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}},"
				+ "\"required\":[\"city\"],\"additionalProperties\":false,"
				+ "\"$defs\":{\"When\":{\"anyOf\":[{\"type\":\"integer\",\"minimum\":0},{\"const\":\"now\"}]}}}");
		check("{}");
		check("{\"type\":\"string\",\"pattern\":\"[a-z]+\"}"); // unanchored: generated whole, which satisfies it
	}

	@Test
	void refusesWhatNoGrammarCanExpress() {
		for (String bad : new String[] { "{\"type\":\"foo\"}", "[1,2]", "{\"$ref\":\"#/definitions/nope\"}",
				"{\"type\":\"string\",\"pattern\":\"[a-z\"}", "{\"type\":\"string\",\"pattern\":\"^(?=a)b$\"}",
				"{\"not\":{\"type\":\"string\"}}", "{\"properties\":{\"a\":{\"type\":\"strin\"}}}" }) {
			ApiException e = assertThrows(ApiException.class, () -> check(bad), bad);
			assertTrue(e.getMessage().startsWith("The JSON schema at tools[0].function.parameters"), e.getMessage());
			assertTrue(e.status() == 400);
		}
	}
}
