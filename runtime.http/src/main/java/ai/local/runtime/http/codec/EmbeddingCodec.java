package ai.local.runtime.http.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.EmbeddingRequest;
import ai.local.runtime.api.EmbeddingResult;

/** {@code POST /v1/embeddings}: input string | string[] | int[] | int[][]; float or base64 output. */
public final class EmbeddingCodec {

	/** A decoded embeddings request and its output encoding. */
	public record EmbeddingCall(EmbeddingRequest request, boolean base64) {
	}

	private EmbeddingCodec() {
	}

	public static EmbeddingCall decode(byte[] body) {
		JsonNode b = Json.parse(body);
		String model = Fields.requiredString(b, "model", "");
		String format = Fields.optString(b, "encoding_format", "");
		if (format != null && !format.equals("float") && !format.equals("base64")) {
			throw ApiException.invalidRequest("Invalid value for 'encoding_format': '" + format
					+ "'. Supported values are: 'float' and 'base64'.", "encoding_format");
		}
		Integer dimensions = Fields.optInt(b, "dimensions", "", 1, 65536);
		JsonNode input = b.get("input");
		List<String> texts = new ArrayList<>();
		List<int[]> tokens = new ArrayList<>();
		if (input == null || input.isNull()) {
			throw ApiException.invalidRequest("Missing required parameter: 'input'", "input");
		} else if (input.isTextual()) {
			texts.add(input.textValue());
		} else if (input.isArray() && !input.isEmpty()) {
			if (input.get(0).isIntegralNumber()) {
				tokens.add(tokenArray(input, "input"));
			} else {
				for (int i = 0; i < input.size(); i++) {
					JsonNode item = input.get(i);
					if (item.isTextual() && tokens.isEmpty()) {
						texts.add(item.textValue());
					} else if (item.isArray() && texts.isEmpty()) {
						tokens.add(tokenArray(item, "input[" + i + "]"));
					} else {
						throw ApiException.invalidRequest("Invalid 'input[" + i + "]': all inputs must be strings or "
								+ "all must be arrays of token ids", "input");
					}
				}
			}
		} else {
			throw ApiException.invalidRequest("Invalid 'input': expected a non-empty string, array of strings, "
					+ "array of token ids or array of token id arrays", "input");
		}
		for (int i = 0; i < texts.size(); i++) {
			if (texts.get(i).isEmpty()) {
				throw ApiException.invalidRequest("Invalid 'input[" + i + "]': an input must not be empty", "input");
			}
		}
		return new EmbeddingCall(new EmbeddingRequest(model, texts, tokens, dimensions, Fields.optString(b, "user", "")),
				"base64".equals(format));
	}

	private static int[] tokenArray(JsonNode arr, String at) {
		if (arr.isEmpty()) {
			throw ApiException.invalidRequest("Invalid '" + at + "': a token array must not be empty", "input");
		}
		int[] t = new int[arr.size()];
		for (int i = 0; i < t.length; i++) {
			JsonNode v = arr.get(i);
			if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
				throw ApiException.invalidRequest("Invalid '" + at + "[" + i + "]': expected a token id", "input");
			}
			t[i] = v.intValue();
		}
		return t;
	}

	public static ObjectNode encode(String model, EmbeddingResult result, boolean base64) {
		ObjectNode o = Json.object();
		o.put("object", "list");
		ArrayNode data = o.putArray("data");
		for (int i = 0; i < result.vectors().size(); i++) {
			float[] v = result.vectors().get(i);
			ObjectNode item = data.addObject();
			item.put("object", "embedding");
			item.put("index", i);
			if (base64) {
				item.put("embedding", base64(v));
			} else {
				ArrayNode values = item.putArray("embedding");
				for (float f : v) {
					values.add(f);
				}
			}
		}
		o.put("model", model);
		ObjectNode usage = o.putObject("usage");
		usage.put("prompt_tokens", result.promptTokens());
		usage.put("total_tokens", result.promptTokens());
		return o;
	}

	/** Little-endian float32 bytes, base64 encoded, as the OpenAI clients decode them. */
	static String base64(float[] v) {
		ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		for (float f : v) {
			buf.putFloat(f);
		}
		return Base64.getEncoder().encodeToString(buf.array());
	}
}
