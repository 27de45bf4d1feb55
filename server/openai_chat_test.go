package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/models"
)

func chatEntry() models.Entry {
	return models.BuiltIn(models.Overrides{ChatTag: "tag-a"}).Default(models.KindChat)
}

func convert(t *testing.T, body string) (chatPlan, *apiError) {
	t.Helper()
	var req chatCompletionRequest
	if err := decodeJSON([]byte(body), &req); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return convertChatRequest(&req, chatEntry())
}

func mustConvert(t *testing.T, body string) chatPlan {
	t.Helper()
	plan, err := convert(t, body)
	if err != nil {
		t.Fatalf("convert: %v", err)
	}
	return plan
}

func TestConvertChatBasics(t *testing.T) {
	plan := mustConvert(t, `{"model":"shopdesk-chat","stream":true,"stream_options":{"include_usage":true},
		"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hello"},{"type":"text","text":"there"}]}],
		"max_tokens":50,"max_completion_tokens":40,"temperature":0.5,"top_p":0.9,"seed":7,"stop":["END","##"],
		"presence_penalty":0.1,"frequency_penalty":-0.2,"user":"u1","parallel_tool_calls":true,"metadata":{"a":"b"},"n":1,"logit_bias":{}}`)
	r := plan.Request
	if r.Model != "tag-a" || !plan.Stream || !r.Stream || !plan.IncludeUsage {
		t.Fatalf("plan = %+v", plan)
	}
	if r.Messages[0].Role != "system" || r.Messages[1].Content != "Hello\nthere" {
		t.Fatalf("messages = %+v", r.Messages)
	}
	o := r.Options
	if o["num_predict"] != 40 {
		t.Errorf("num_predict = %v, want max_completion_tokens (40) to win", o["num_predict"])
	}
	if o["temperature"] != 0.5 || o["top_p"] != 0.9 || o["seed"] != int64(7) || o["presence_penalty"] != 0.1 || o["frequency_penalty"] != -0.2 {
		t.Errorf("options = %v", o)
	}
	if stop, _ := o["stop"].([]string); strings.Join(stop, "|") != "END|##" {
		t.Errorf("stop = %v", o["stop"])
	}
	if o["num_ctx"] != 8192 {
		t.Errorf("catalog option num_ctx lost: %v", o)
	}
	if r.KeepAlive == nil {
		t.Error("catalog keep_alive lost")
	}
}

func TestConvertCatalogDefaultsStandUnlessOverridden(t *testing.T) {
	plan := mustConvert(t, `{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":"x"}`)
	if plan.Request.Options["temperature"] != 0.3 {
		t.Errorf("temperature = %v, want the catalog's 0.3", plan.Request.Options["temperature"])
	}
	if stop, _ := plan.Request.Options["stop"].([]string); len(stop) != 1 || stop[0] != "x" {
		t.Errorf("a single stop string: %v", plan.Request.Options["stop"])
	}
}

func TestConvertToolHistory(t *testing.T) {
	plan := mustConvert(t, `{"model":"m","messages":[
		{"role":"user","content":"Where is A1?"},
		{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"order_status","arguments":"{\"order\":\"A1\"}"}}]},
		{"role":"tool","tool_call_id":"call_1","content":"shipped"}],
		"tools":[{"type":"function","function":{"name":"order_status","description":"d","parameters":{"type":"object","properties":{"order":{"type":"string"}},"required":["order"]}}}]}`)
	msgs := plan.Request.Messages
	call := msgs[1].ToolCalls[0]
	if call.ID != "call_1" || call.Function.Name != "order_status" {
		t.Fatalf("assistant tool call = %+v", call)
	}
	if v, _ := call.Function.Arguments.Get("order"); v != "A1" {
		t.Fatalf("arguments = %s", call.Function.Arguments.String())
	}
	if msgs[2].Role != "tool" || msgs[2].ToolName != "order_status" || msgs[2].ToolCallID != "call_1" || msgs[2].Content != "shipped" {
		t.Fatalf("tool message = %+v", msgs[2])
	}
	if len(plan.Request.Tools) != 1 || plan.Request.Tools[0].Function.Parameters.Required[0] != "order" {
		t.Fatalf("tools = %+v", plan.Request.Tools)
	}
	if plan.Forced != nil {
		t.Fatal("auto tool choice was forced")
	}
}

func TestConvertToolChoice(t *testing.T) {
	tools := `"tools":[{"type":"function","function":{"name":"a","parameters":{"type":"object","properties":{"x":{"type":"integer"}}}}},{"type":"function","function":{"name":"b"}}]`
	none := mustConvert(t, `{"model":"m","messages":[{"role":"user","content":"hi"}],`+tools+`,"tool_choice":"none"}`)
	if none.Request.Tools != nil || none.Forced != nil {
		t.Errorf("tool_choice none: %+v", none)
	}
	named := mustConvert(t, `{"model":"m","stream":true,"messages":[{"role":"system","content":"Shop rules."},{"role":"user","content":"hi"}],`+tools+`,"tool_choice":{"type":"function","function":{"name":"a"}}}`)
	if strings.Join(named.Forced, ",") != "a" || named.Request.Tools != nil || named.Request.Stream {
		t.Errorf("named tool: forced %v, tools %v, stream %v", named.Forced, named.Request.Tools, named.Request.Stream)
	}
	var schema map[string]any
	if err := json.Unmarshal(named.Request.Format, &schema); err != nil {
		t.Fatalf("format is not JSON: %s", named.Request.Format)
	}
	if !strings.Contains(string(named.Request.Format), `"enum":["a"]`) || !strings.Contains(string(named.Request.Format), `"x":{"type":"integer"}`) {
		t.Errorf("schema = %s", named.Request.Format)
	}
	sys := named.Request.Messages[0]
	if sys.Role != "system" || !strings.HasPrefix(sys.Content, "Shop rules.") || !strings.Contains(sys.Content, "the tool a") {
		t.Errorf("system prompt = %q", sys.Content)
	}
	required := mustConvert(t, `{"model":"m","messages":[{"role":"user","content":"hi"}],`+tools+`,"tool_choice":"required"}`)
	if strings.Join(required.Forced, ",") != "a,b" || !strings.Contains(string(required.Request.Format), `"anyOf"`) {
		t.Errorf("required: forced %v, format %s", required.Forced, required.Request.Format)
	}
	if required.Request.Messages[0].Role != "system" {
		t.Error("required: no system prompt added")
	}
}

func TestConvertRejects(t *testing.T) {
	user := `"messages":[{"role":"user","content":"hi"}]`
	for _, tc := range []struct {
		name, body, param string
	}{
		{"n", `{"model":"m",` + user + `,"n":2}`, "n"},
		{"logit_bias", `{"model":"m",` + user + `,"logit_bias":{"50256":-100}}`, "logit_bias"},
		{"audio", `{"model":"m",` + user + `,"audio":{"voice":"alloy"}}`, "audio"},
		{"modalities", `{"model":"m",` + user + `,"modalities":["text","audio"]}`, "modalities"},
		{"functions", `{"model":"m",` + user + `,"functions":[{"name":"f"}]}`, "functions"},
		{"web search", `{"model":"m",` + user + `,"web_search_options":{}}`, "web_search_options"},
		{"no messages", `{"model":"m","messages":[]}`, "messages"},
		{"bad role", `{"model":"m","messages":[{"role":"wizard","content":"x"}]}`, "messages[0].role"},
		{"function role", `{"model":"m","messages":[{"role":"function","content":"x"}]}`, "messages[0].role"},
		{"no content", `{"model":"m","messages":[{"role":"user"}]}`, "messages[0].content"},
		{"content number", `{"model":"m","messages":[{"role":"user","content":5}]}`, "messages[0].content"},
		{"audio part", `{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio"}]}]}`, "messages[0].content[0].type"},
		{"remote image", `{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}`, "messages[0].content[0].image_url.url"},
		{"bad base64", `{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@"}}]}]}`, "messages[0].content[0].image_url.url"},
		{"tool without id", `{"model":"m","messages":[{"role":"tool","content":"x"}]}`, "messages[0].tool_call_id"},
		{"user tool_calls", `{"model":"m","messages":[{"role":"user","content":"x","tool_calls":[{"id":"1","function":{"name":"f"}}]}]}`, "messages[0].tool_calls"},
		{"bad arguments", `{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}`, "messages[0].tool_calls[0].function.arguments"},
		{"temperature", `{"model":"m",` + user + `,"temperature":3}`, "temperature"},
		{"top_p", `{"model":"m",` + user + `,"top_p":1.5}`, "top_p"},
		{"penalty", `{"model":"m",` + user + `,"presence_penalty":-3}`, "presence_penalty"},
		{"max_tokens", `{"model":"m",` + user + `,"max_tokens":0}`, "max_tokens"},
		{"stop type", `{"model":"m",` + user + `,"stop":[1]}`, "stop"},
		{"empty stop", `{"model":"m",` + user + `,"stop":""}`, "stop"},
		{"stream_options", `{"model":"m",` + user + `,"stream_options":{"include_usage":true}}`, "stream_options"},
		{"format type", `{"model":"m",` + user + `,"response_format":{"type":"yaml"}}`, "response_format.type"},
		{"schema missing", `{"model":"m",` + user + `,"response_format":{"type":"json_schema"}}`, "response_format"},
		{"schema type list", `{"model":"m",` + user + `,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":[[]]}}}}`, "response_format"},
		{"schema type word", `{"model":"m",` + user + `,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"obj"}}}}`, "response_format"},
		{"schema ref to nothing", `{"model":"m",` + user + `,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"$ref":"#/$defs/none"}}}}`, "response_format"},
		{"schema ref to a file", `{"model":"m",` + user + `,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"$ref":"file:///etc/passwd"}}}}`, "response_format"},
		{"schema ref to a URL", `{"model":"m",` + user + `,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"properties":{"a":{"$ref":"http://127.0.0.1:1/s.json"}}}}}}`, "response_format"},
		{"schema bad pattern", `{"model":"m",` + user + `,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"string","pattern":"("}}}}`, "response_format"},
		{"tool type", `{"model":"m",` + user + `,"tools":[{"type":"custom","function":{"name":"f"}}]}`, "tools[0].type"},
		{"tool name", `{"model":"m",` + user + `,"tools":[{"type":"function","function":{"name":"bad name"}}]}`, "tools[0].function.name"},
		{"tool dup", `{"model":"m",` + user + `,"tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"f"}}]}`, "tools[1].function.name"},
		{"tool params", `{"model":"m",` + user + `,"tools":[{"type":"function","function":{"name":"f","parameters":[1]}}]}`, "tools[0].function.parameters"},
		{"choice without tools", `{"model":"m",` + user + `,"tool_choice":"auto"}`, "tool_choice"},
		{"choice unknown", `{"model":"m",` + user + `,"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"always"}`, "tool_choice"},
		{"choice missing tool", `{"model":"m",` + user + `,"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"g"}}}`, "tool_choice.function.name"},
		{"forced with format", `{"model":"m",` + user + `,"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required","response_format":{"type":"json_object"}}`, "response_format"},
		{"top_logprobs alone", `{"model":"m",` + user + `,"top_logprobs":3}`, "top_logprobs"},
		{"reasoning", `{"model":"m",` + user + `,"reasoning_effort":"max"}`, "reasoning_effort"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := convert(t, tc.body)
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Status != 400 || err.Param != tc.param {
				t.Fatalf("status %d param %q (%s); want 400 naming %q", err.Status, err.Param, err.Message, tc.param)
			}
			// The message names the parameter, or its last part ("arguments"
			// for messages[0].tool_calls[0].function.arguments).
			last := tc.param[strings.LastIndexAny(tc.param, ".]")+1:]
			if last == "" {
				last = strings.SplitN(tc.param, "[", 2)[0]
			}
			if !strings.Contains(err.Message, last) && !strings.Contains(err.Message, strings.SplitN(tc.param, "[", 2)[0]) {
				t.Errorf("message %q does not name %s", err.Message, tc.param)
			}
		})
	}
}

func TestConvertImagesAndFormats(t *testing.T) {
	plan := mustConvert(t, `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is this"},{"type":"image_url","image_url":{"url":"data:image/png;base64,aGVsbG8="}}]}],
		"response_format":{"type":"json_object"},"logprobs":true,"top_logprobs":2,"reasoning_effort":"low"}`)
	if got := string(plan.Request.Messages[0].Images[0]); got != "hello" {
		t.Errorf("image bytes = %q", got)
	}
	if string(plan.Request.Format) != `"json"` {
		t.Errorf("format = %s", plan.Request.Format)
	}
	if !plan.Request.Logprobs || plan.Request.TopLogprobs != 2 {
		t.Errorf("logprobs = %v/%d", plan.Request.Logprobs, plan.Request.TopLogprobs)
	}
	if plan.Request.Think == nil || plan.Request.Think.Value != "low" {
		t.Errorf("think = %+v", plan.Request.Think)
	}
	schema := mustConvert(t, `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"}}}}`)
	if string(schema.Request.Format) != `{"type":"object"}` {
		t.Errorf("schema format = %s", schema.Request.Format)
	}
}

func TestDecodeJSONErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body, want, param string
	}{
		{"empty", "", "empty", ""},
		{"array", "[1]", "JSON object", ""},
		{"syntax", `{"model": }`, "not valid JSON", ""},
		{"truncated", `{"model":"m"`, "ends in the middle", ""},
		{"type", `{"model": 5}`, "model must be a string", "model"},
		{"nested type", `{"model":"m","messages":[{"role":1}]}`, "messages.role must be a string", "messages.role"},
		{"trailing", `{"model":"m"} {"x":1}`, "after the JSON object", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var req chatCompletionRequest
			err := decodeJSON([]byte(tc.body), &req)
			if err == nil || err.Status != 400 || !strings.Contains(err.Message, tc.want) || err.Param != tc.param {
				t.Fatalf("err = %+v, want 400 mentioning %q with param %q", err, tc.want, tc.param)
			}
		})
	}
}

func FuzzChatRequest(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	f.Add([]byte(`{"model":"m","stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:;base64,AA=="}}]}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":"required"}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"1","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"1","content":"x"}],"stop":["a"],"response_format":{"type":"json_schema","json_schema":{"schema":{}}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req chatCompletionRequest
		if err := decodeJSON(body, &req); err != nil {
			if err.Status != 400 {
				t.Fatalf("decode error with status %d", err.Status)
			}
			return
		}
		plan, err := convertChatRequest(&req, chatEntry())
		if err != nil {
			if err.Status != 400 || err.Message == "" {
				t.Fatalf("convert error %+v", err)
			}
			return
		}
		if plan.Request.Model != "tag-a" || len(plan.Request.Messages) == 0 {
			t.Fatalf("accepted plan without model or messages: %+v", plan)
		}
		if plan.Forced != nil && (plan.Request.Format == nil || !json.Valid(plan.Request.Format)) {
			t.Fatalf("forced call without a valid schema: %s", plan.Request.Format)
		}
	})
}
