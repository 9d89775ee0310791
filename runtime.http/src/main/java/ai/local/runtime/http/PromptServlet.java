package ai.local.runtime.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.http.codec.ChatCall;
import ai.local.runtime.http.codec.ChatRequestDecoder;
import ai.local.runtime.http.codec.Fields;
import ai.local.runtime.http.codec.Json;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * llama-server's debug endpoints, for models whose provider renders prompts itself (in-process llama.cpp):
 * {@code POST /apply-template} (a chat completion's body → {@code {"prompt": ...}}), {@code POST /tokenize}
 * ({@code {"model", "content", "add_special", "with_pieces"}} → {@code {"tokens": [...]}}) and
 * {@code POST /detokenize} ({@code {"model", "tokens"}} → {@code {"content": ...}}). Also under /v1 and /api/v1;
 * behind the API key like every API path.
 */
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletPattern({ "/apply-template", "/tokenize", "/detokenize", "/v1/apply-template", "/v1/tokenize",
		"/v1/detokenize", "/api/v1/apply-template", "/api/v1/tokenize", "/api/v1/detokenize" })
@Component(service = Servlet.class)
public class PromptServlet extends ApiServlet {
	private static final long serialVersionUID = 1L;
	/** At most this many ids to detokenize in one request. */
	private static final int MAX_TOKENS = 1 << 20;

	private final transient Completions completions;

	@Activate
	public PromptServlet(@Reference Completions completions) {
		this.completions = completions;
	}

	/** llama-server's piece: its text when the bytes are UTF-8, else the bytes (part of a character) as numbers. */
	private static void piece(ObjectNode token, byte[] bytes) {
		try {
			token.put("piece", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
		} catch (CharacterCodingException e) {
			ArrayNode values = token.putArray("piece");
			for (byte b : bytes) {
				values.add(b & 0xff);
			}
		}
	}

	@Override
	protected void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
		RequestRecord record = RequestRecord.of(req);
		String path = req.getRequestURI();
		if (path.endsWith("/apply-template")) {
			ChatCall call = ChatRequestDecoder.decode(body(req));
			Route route = completions.route(call.model(), record);
			String prompt = completions.applyTemplate(route, call.request(), record);
			json(resp, 200, Json.MAPPER.createObjectNode().put("prompt", prompt));
			return;
		}
		JsonNode b = Json.parse(body(req));
		String model = Fields.requiredString(b, "model", null);
		Route route = completions.route(model, record);
		if (path.endsWith("/tokenize")) {
			String content = Fields.optString(b, "content", null);
			if (content == null) {
				throw ApiException.invalidRequest("Missing required parameter: 'content'", "content");
			}
			boolean addSpecial = Boolean.TRUE.equals(Fields.optBoolean(b, "add_special", null));
			boolean withPieces = Boolean.TRUE.equals(Fields.optBoolean(b, "with_pieces", null));
			int[] ids = completions.tokenize(route, content, addSpecial);
			ObjectNode out = Json.MAPPER.createObjectNode();
			ArrayNode tokens = out.putArray("tokens");
			List<byte[]> pieces = withPieces ? completions.pieces(route, ids) : List.of();
			for (int i = 0; i < ids.length; i++) {
				if (withPieces) {
					piece(tokens.addObject().put("id", ids[i]), pieces.get(i));
				} else {
					tokens.add(ids[i]);
				}
			}
			json(resp, 200, out);
		} else {
			JsonNode list = b.get("tokens");
			if (list == null || !list.isArray() || list.size() > MAX_TOKENS) {
				throw ApiException.invalidRequest("'tokens' must be an array of token ids (at most " + MAX_TOKENS + ")",
						"tokens");
			}
			int[] ids = new int[list.size()];
			for (int i = 0; i < ids.length; i++) {
				JsonNode t = list.get(i);
				if (!t.canConvertToInt() || !t.isIntegralNumber()) {
					throw ApiException.invalidRequest("tokens[" + i + "] is not a token id", "tokens");
				}
				ids[i] = t.intValue();
			}
			json(resp, 200, Json.MAPPER.createObjectNode().put("content", completions.detokenize(route, ids)));
		}
	}
}
