package ai.local.runtime.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ApiException;
import ai.local.runtime.api.ChatMessage;
import ai.local.runtime.api.ChatRequest;
import ai.local.runtime.api.ToolLoopLimits;
import ai.local.runtime.api.ContentPart;
import ai.local.runtime.api.ResponseFormat;
import ai.local.runtime.api.ToolChoice;

class ChatRequestDecoderTest {

	static ChatCall decode(String json) {
		return ChatRequestDecoder.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aFullRequest() {
		ChatCall call = decode("{'model':'ollama:qwen2.5:latest','stream':true,'stream_options':{'include_usage':true},"
				+ "'messages':[{'role':'system','content':'s'},"
				+ "{'role':'user','content':[{'type':'text','text':'look'},{'type':'image_url','image_url':{'url':'data:x','detail':'low'}}]},"
				+ "{'role':'assistant','content':null,'tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':{'a':1}}}]},"
				+ "{'role':'tool','tool_call_id':'c1','content':'42'}],"
				+ "'tools':[{'type':'function','function':{'name':'f','description':'d','parameters':{'type':'object'},'strict':true}}],"
				+ "'tool_choice':{'type':'function','function':{'name':'f'}},'parallel_tool_calls':false,"
				+ "'response_format':{'type':'json_schema','json_schema':{'name':'n','schema':{'type':'object'},'strict':true}},"
				+ "'max_completion_tokens':64,'temperature':0.2,'top_p':0.9,'min_p':0.05,'top_k':40,'seed':7,'stop':'END',"
				+ "'presence_penalty':0.5,'repetition_penalty':1.1,'user':'u','session_id':'s1','max_steps':3,'mirostat':2}");
		ChatRequest r = call.request();
		assertTrue(call.stream());
		assertTrue(call.includeUsage());
		assertEquals("ollama:qwen2.5:latest", r.model());
		assertEquals(4, r.messages().size());
		assertEquals(ContentPart.image("data:x", "low"), r.messages().get(1).content().get(1));
		assertEquals("{\"a\":1}", r.messages().get(2).toolCalls().get(0).arguments(), "object arguments become JSON text");
		assertTrue(r.messages().get(2).content().isEmpty());
		assertEquals("c1", r.messages().get(3).toolCallId());
		assertEquals(Map.of("type", "object"), r.tools().get(0).parameters());
		assertTrue(r.tools().get(0).strict());
		assertEquals(ToolChoice.function("f"), r.toolChoice());
		assertEquals(Boolean.FALSE, r.parallelToolCalls());
		assertEquals(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "n", Map.of("type", "object"), true),
				r.responseFormat());
		assertEquals(64, r.sampling().maxTokens());
		assertEquals(0.2, r.sampling().temperature());
		assertEquals(40, r.sampling().topK());
		assertEquals(7L, r.sampling().seed());
		assertEquals(List.of("END"), r.sampling().stop());
		assertEquals(1.1, r.sampling().repeatPenalty());
		assertEquals("s1", r.sessionId());
		assertEquals(Map.of("mirostat", 2), r.extra(), "unknown fields travel on to the provider");
		assertEquals(3, call.toolLoop().maxSteps());
		assertEquals(16, call.toolLoop().maxToolCalls(), "the other loop limits keep their defaults");
	}

	@Test
	void serverToolKeys() {
		assertNull(decode("{'model':'m','messages':[{'role':'user','content':'x'}]}").toolLoop(),
				"no loop key: no server-side loop asked for");
		ToolLoopLimits l = decode("{'model':'m','messages':[{'role':'user','content':'x'}],'trace':true,"
				+ "'tool_timeout':0.5,'planner':{'max_plan_steps':3,'max_rewrites':1}}").toolLoop();
		assertTrue(l.trace() && l.planner());
		assertEquals(Duration.ofMillis(500), l.toolTimeout());
		assertEquals(3, l.maxPlanSteps());
		assertEquals(1, l.maxRewrites());
		assertTrue(decode("{'model':'m','messages':[{'role':'user','content':'x'}],'planner':true}").toolLoop().planner());
		ApiException e = assertThrows(ApiException.class,
				() -> decode("{'model':'m','messages':[{'role':'user','content':'x'}],'max_steps':0}"));
		assertEquals("max_steps", e.param());
	}

	@Test
	void defaultsStayUnset() {
		ChatCall call = decode("{'model':'m','messages':[{'role':'user','content':'hi'}]}");
		assertEquals(false, call.stream());
		assertNull(call.request().sampling().temperature());
		assertNull(call.request().toolChoice());
		assertEquals(List.of(ChatMessage.user("hi")), call.request().messages());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{'messages':[{'role':'user','content':'x'}]}                              | model",
			"{'model':5,'messages':[{'role':'user','content':'x'}]}                    | model",
			"{'model':'m'}                                                              | messages",
			"{'model':'m','messages':[]}                                                | messages",
			"{'model':'m','messages':[3]}                                               | messages[0]",
			"{'model':'m','messages':[{'content':'x'}]}                                 | messages[0].role",
			"{'model':'m','messages':[{'role':'user'}]}                                 | messages[0].content",
			"{'model':'m','messages':[{'role':'user','content':{}}]}                    | messages[0].content",
			"{'model':'m','messages':[{'role':'user','content':[{'type':'video'}]}]}    | messages[0].content[0].type",
			"{'model':'m','messages':[{'role':'tool','content':'x'}]}                   | messages[0].tool_call_id",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'top_p':1.5}       | top_p",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':0}    | max_tokens",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':1.5}  | max_tokens",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'stop':[1]}        | stop[0]",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'stream':'yes'}    | stream",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'tool_choice':'x'} | tool_choice",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'tools':[{'type':'retrieval'}]} | tools[0].type",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'response_format':{'type':'xml'}} | response_format.type",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'tool_choice':{'type':'function','function':{'name':'g'}},'tools':[{'type':'function','function':{'name':'f'}}]} | tool_choice",
			"{'model':'m','messages':[{'role':'user','content':'x'}],'tool_choice':{'type':'function','function':{'name':'f'}}} | tool_choice",
	})
	void wrongInputNamesTheParameter(String body, String param) {
		ApiException e = assertThrows(ApiException.class, () -> decode(body));
		assertEquals(400, e.status());
		assertEquals(param, e.param(), e.getMessage());
	}

	@Test
	void bodiesJacksonRefusesAreA400WithoutALocation() {
		String deep = "{'model':'m','x':" + "[".repeat(500) + "]".repeat(500) + "}";
		ApiException nested = assertThrows(ApiException.class, () -> decode(deep));
		assertEquals(400, nested.status());
		assertTrue(nested.getMessage().contains("nesting depth"), nested.getMessage());
		String digits = "{'model':'m','x':" + "9".repeat(1500) + "}";
		ApiException number = assertThrows(ApiException.class, () -> decode(digits));
		assertEquals(400, number.status());
		assertTrue(number.getMessage().contains("Number value length"), number.getMessage());
	}

	@Test
	void aNamedToolChoiceOfferedIsKeptAndKeysInTheBodyAreNotForwarded() {
		ChatCall call = decode("{'model':'m','messages':[{'role':'user','content':'x'}],'api_key':'sk-1','api-key':'sk-2',"
				+ "'tools':[{'type':'function','function':{'name':'f'}}],'tool_choice':{'type':'function','function':{'name':'f'}}}");
		assertEquals(ToolChoice.function("f"), call.request().toolChoice());
		assertTrue(call.request().extra().isEmpty(), call.request().extra().toString());
	}

	@Test
	void duplicateKeysAreRefused() {
		ApiException e = assertThrows(ApiException.class,
				() -> decode("{'model':'a','model':'b','messages':[{'role':'user','content':'x'}]}"));
		assertEquals(400, e.status());
		assertTrue(e.getMessage().contains("Duplicate field 'model'"), e.getMessage());
		assertThrows(ApiException.class,
				() -> decode("{'model':'a','messages':[{'role':'user','role':'system','content':'x'}]}"));
	}

	@Test
	void malformedJsonSaysWhere() {
		ApiException e = assertThrows(ApiException.class, () -> decode("{'model': }"));
		assertEquals(400, e.status());
		assertTrue(e.getMessage().contains("line 1"), e.getMessage());
		assertThrows(ApiException.class, () -> decode("{'model':'m'} trailing"));
	}
}
