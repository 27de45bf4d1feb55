package server

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/tenant"
)

// fakeModels is a hand-written Generator and Embedder.
type fakeModels struct {
	chat  func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error
	embed func(ctx context.Context, req inference.EmbedRequest) (inference.EmbedResponse, error)
}

func (f *fakeModels) Chat(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
	return f.chat(ctx, req, fn)
}

func (f *fakeModels) Embed(ctx context.Context, req inference.EmbedRequest) (inference.EmbedResponse, error) {
	return f.embed(ctx, req)
}

type staticCatalog struct{ c *models.Catalog }

func (s staticCatalog) Catalog() *models.Catalog { return s.c }

func replyWith(parts ...string) func(context.Context, inference.ChatRequest, func(inference.ChatChunk) error) error {
	return func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		for _, p := range parts {
			if err := fn(inference.ChatChunk{Content: p}); err != nil {
				return err
			}
		}
		return fn(inference.ChatChunk{Done: true, DoneReason: "stop", PromptTokens: 4, CompletionTokens: len(parts)})
	}
}

func newTestServer(t testing.TB, fake *fakeModels, mutate func(*Options)) *httptest.Server {
	t.Helper()
	if fake.chat == nil {
		fake.chat = replyWith("Hello", " there")
	}
	if fake.embed == nil {
		fake.embed = func(_ context.Context, req inference.EmbedRequest) (inference.EmbedResponse, error) {
			out := inference.EmbedResponse{PromptTokens: len(req.Input)}
			for range req.Input {
				out.Embeddings = append(out.Embeddings, []float32{0.5, -1, 2})
			}
			return out, nil
		}
	}
	cat, err := models.Parse([]byte("models:\n  - {id: chat, aliases: [gpt-4o-mini], tag: tag-chat, kind: chat}\n  - {id: org/embed, tag: tag-embed, kind: embedding}\n"), "test.yaml", models.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Models: staticCatalog{cat}, Chat: fake, Embed: fake, Metrics: NewMetrics(nil), Logger: slog.New(slog.NewTextHandler(newTestWriter(t), nil))}
	if mutate != nil {
		mutate(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func do(t *testing.T, ts *httptest.Server, method, path, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func errorOf(t *testing.T, body []byte) errorFields {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Message == "" || e.Error.Type == "" {
		t.Fatalf("not an OpenAI error body: %s", body)
	}
	return e.Error
}

const hello = `{"model":"chat","messages":[{"role":"user","content":"hi"}]}`

func TestChatCompletion(t *testing.T) {
	var got inference.ChatRequest
	fake := &fakeModels{}
	fake.chat = func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		got = req
		return replyWith("Hello", " there")(ctx, req, fn)
	}
	ts := newTestServer(t, fake, nil)
	resp, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var out chatCompletion
	json.Unmarshal(body, &out)
	if out.Model != "chat" || out.Object != "chat.completion" || !strings.HasPrefix(out.ID, "chatcmpl-") {
		t.Errorf("envelope = %+v", out)
	}
	if c := out.Choices[0]; *c.Message.Content != "Hello there" || c.FinishReason != "stop" {
		t.Errorf("choice = %+v", c)
	}
	if out.Usage != (usage{4, 2, 6}) {
		t.Errorf("usage = %+v", out.Usage)
	}
	if got.Model != "tag-chat" || got.Stream {
		t.Errorf("Ollama request = %+v", got)
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID")
	}
}

// readEvents returns the data lines of an SSE stream.
func readEvents(t *testing.T, r io.Reader) []string {
	t.Helper()
	var events []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			events = append(events, data)
		}
	}
	return events
}

func TestChatStream(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, nil)
	resp, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := readEvents(t, strings.NewReader(string(body)))
	if events[len(events)-1] != "[DONE]" {
		t.Fatalf("last event %q, want [DONE]", events[len(events)-1])
	}
	var text strings.Builder
	var finish string
	var u *usage
	for i, e := range events[:len(events)-1] {
		var ch struct {
			chatCompletionChunk
			Usage *usage `json:"usage"`
		}
		if !strings.Contains(e, `"usage":`) {
			t.Errorf("chunk %d has no usage field; with include_usage it is null until the end: %s", i, e)
		}
		if err := json.Unmarshal([]byte(e), &ch); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if i == 0 && (len(ch.Choices) == 0 || ch.Choices[0].Delta.Role != "assistant") {
			t.Errorf("first chunk has no assistant role: %s", e)
		}
		for _, c := range ch.Choices {
			text.WriteString(c.Delta.Content)
			if c.FinishReason != nil {
				finish = *c.FinishReason
			}
		}
		if ch.Usage != nil {
			u = ch.Usage
		}
	}
	if text.String() != "Hello there" || finish != "stop" || u == nil || u.TotalTokens != 6 {
		t.Fatalf("text %q finish %q usage %+v", text.String(), finish, u)
	}
}

func TestStreamErrorAfterStartIsOneEvent(t *testing.T) {
	fake := &fakeModels{chat: func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		fn(inference.ChatChunk{Content: "partial"})
		return &inference.Error{Kind: inference.ErrUnavailable, Err: io.ErrUnexpectedEOF}
	}}
	ts := newTestServer(t, fake, nil)
	resp, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	events := readEvents(t, strings.NewReader(string(body)))
	last := events[len(events)-1]
	var e errorBody
	if err := json.Unmarshal([]byte(last), &e); err != nil || e.Error.Code == nil || *e.Error.Code != "model_server_unavailable" {
		t.Fatalf("last event %q, want one error event", last)
	}
	for _, ev := range events[:len(events)-1] {
		if strings.Contains(ev, `"error"`) || ev == "[DONE]" {
			t.Fatalf("unexpected event before the error: %s", ev)
		}
	}
}

func TestStreamErrorBeforeStartIsAStatus(t *testing.T) {
	fake := &fakeModels{chat: func(context.Context, inference.ChatRequest, func(inference.ChatChunk) error) error {
		return &inference.Error{Kind: inference.ErrOverloaded, RetryAfter: 1500 * time.Millisecond}
	}}
	ts := newTestServer(t, fake, nil)
	resp, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if e := errorOf(t, body); *e.Code != "server_overloaded" {
		t.Fatalf("code = %s", *e.Code)
	}
}

func TestErrorStatuses(t *testing.T) {
	failWith := func(err error) *fakeModels {
		return &fakeModels{chat: func(context.Context, inference.ChatRequest, func(inference.ChatChunk) error) error { return err }}
	}
	for _, tc := range []struct {
		name   string
		fake   *fakeModels
		body   string
		status int
		code   string
	}{
		{"malformed json", &fakeModels{}, `{"model":`, 400, "invalid_json"},
		{"empty body", &fakeModels{}, ``, 400, "invalid_json"},
		{"unknown model", &fakeModels{}, `{"model":"gpt-5","messages":[{"role":"user","content":"hi"}]}`, 404, "model_not_found"},
		{"missing model", &fakeModels{}, `{"messages":[{"role":"user","content":"hi"}]}`, 400, "invalid_value"},
		{"embedding model", &fakeModels{}, `{"model":"org/embed","messages":[{"role":"user","content":"hi"}]}`, 400, "invalid_value"},
		{"unsupported", &fakeModels{}, `{"model":"chat","n":3,"messages":[{"role":"user","content":"hi"}]}`, 400, "unsupported_parameter"},
		{"not installed", failWith(&inference.Error{Kind: inference.ErrModelNotFound}), hello, 404, "model_not_found"},
		{"overloaded", failWith(&inference.Error{Kind: inference.ErrOverloaded, RetryAfter: time.Second}), hello, 503, "server_overloaded"},
		{"unreachable", failWith(&inference.Error{Kind: inference.ErrUnavailable, RetryAfter: time.Second}), hello, 503, "model_server_unavailable"},
		{"rejected", failWith(&inference.Error{Kind: inference.ErrBadRequest, Message: "runner crashed: model does not support tools"}), hello, 400, "rejected_by_model"},
		{"malformed schema", failWith(errors.New("the model server was called")),
			`{"model":"chat","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":[[]]}}}}`, 400, "invalid_value"},
		{"schema ref to nothing", failWith(errors.New("the model server was called")),
			`{"model":"chat","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"$ref":"#/definitions/x"}}}}`, 400, "invalid_value"},
		{"upstream", failWith(&inference.Error{Kind: inference.ErrUpstream, Message: "runner crashed"}), hello, 502, "model_server_error"},
		{"timeout", failWith(context.DeadlineExceeded), hello, 504, "timeout"},
		{"internal", failWith(errors.New("secret detail /var/lib/x")), hello, 500, "internal_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, tc.fake, nil)
			resp, body := do(t, ts, "POST", "/v1/chat/completions", tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			e := errorOf(t, body)
			if e.Code == nil || *e.Code != tc.code {
				t.Fatalf("code %v, want %s", e.Code, tc.code)
			}
			if strings.Contains(e.Message, "secret detail") || strings.Contains(e.Message, "runner crashed") {
				t.Fatalf("internal detail leaked to the client: %s", e.Message)
			}
			if tc.code == "invalid_value" && strings.Contains(tc.body, "json_schema") && (e.Param == nil || *e.Param != "response_format") {
				t.Fatalf("param %v, want response_format: %s", e.Param, e.Message)
			}
			if tc.status == 503 && resp.Header.Get("Retry-After") == "" {
				t.Fatal("503 without Retry-After")
			}
		})
	}
}

func TestPanicIsA500(t *testing.T) {
	fake := &fakeModels{chat: func(context.Context, inference.ChatRequest, func(inference.ChatChunk) error) error { panic("boom") }}
	ts := newTestServer(t, fake, nil)
	resp, body := do(t, ts, "POST", "/v1/chat/completions", hello)
	if resp.StatusCode != 500 || *errorOf(t, body).Code != "internal_error" {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if resp, _ := do(t, ts, "GET", "/healthz", ""); resp.StatusCode != 200 {
		t.Fatal("server down after a panic")
	}
}

func TestBodyTooLarge(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, func(o *Options) { o.MaxBodyBytes = 1024 })
	big := `{"model":"chat","messages":[{"role":"user","content":"` + strings.Repeat("x", 4096) + `"}]}`
	resp, body := do(t, ts, "POST", "/v1/chat/completions", big)
	if resp.StatusCode != 413 || *errorOf(t, body).Code != "request_too_large" {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	// Without Content-Length the limit still holds while reading.
	req, _ := http.NewRequest("POST", ts.URL+"/v1/chat/completions", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != 413 {
		t.Fatalf("chunked: status %d", r2.StatusCode)
	}
}

func TestAuthAndTenant(t *testing.T) {
	var seen string
	fake := &fakeModels{}
	fake.chat = func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		seen, _ = tenant.From(ctx)
		return replyWith("ok")(ctx, req, fn)
	}
	ts := newTestServer(t, fake, func(o *Options) {
		o.APIKeys = []APIKey{{Key: "sk-acme-0123456789abcdef", Tenant: "acme"}, {Key: "sk-globex-0123456789abcdef", Tenant: "globex"}}
	})
	resp, body := do(t, ts, "POST", "/v1/chat/completions", hello)
	if resp.StatusCode != 401 || *errorOf(t, body).Code != "missing_api_key" {
		t.Fatalf("no key: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, ts, "POST", "/v1/chat/completions", hello, "Authorization", "Bearer sk-wrong")
	if resp.StatusCode != 401 || *errorOf(t, body).Code != "invalid_api_key" {
		t.Fatalf("wrong key: %d %s", resp.StatusCode, body)
	}
	resp, _ = do(t, ts, "POST", "/v1/chat/completions", hello, "Authorization", "Basic sk-acme-0123456789abcdef")
	if resp.StatusCode != 401 {
		t.Fatalf("wrong scheme accepted: %d", resp.StatusCode)
	}
	resp, _ = do(t, ts, "POST", "/v1/chat/completions", hello, "Authorization", "Bearer sk-globex-0123456789abcdef")
	if resp.StatusCode != 200 || seen != "globex" {
		t.Fatalf("status %d, tenant %q; want globex", resp.StatusCode, seen)
	}
	if resp, _ := do(t, ts, "GET", "/healthz", ""); resp.StatusCode != 200 {
		t.Fatal("healthz requires a key")
	}
}

func TestNoKeysMeansDefaultTenant(t *testing.T) {
	var seen string
	fake := &fakeModels{}
	fake.chat = func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		seen, _ = tenant.From(ctx)
		return replyWith("ok")(ctx, req, fn)
	}
	ts := newTestServer(t, fake, nil)
	do(t, ts, "POST", "/v1/chat/completions", hello, "Authorization", "Bearer anything")
	if seen != tenant.Default {
		t.Fatalf("tenant = %q", seen)
	}
}

func TestForcedToolCall(t *testing.T) {
	fake := &fakeModels{chat: func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		if req.Format == nil || req.Tools != nil {
			t.Errorf("forced call: format %s tools %v", req.Format, req.Tools)
		}
		return replyWith(`{"name":"order_status",`, `"arguments":{"order":"A1"}}`)(ctx, req, fn)
	}}
	ts := newTestServer(t, fake, nil)
	tools := `"tools":[{"type":"function","function":{"name":"order_status","parameters":{"type":"object","properties":{"order":{"type":"string"}}}}}],"tool_choice":"required"`
	_, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","messages":[{"role":"user","content":"where?"}],`+tools+`}`)
	var out chatCompletion
	json.Unmarshal(body, &out)
	c := out.Choices[0]
	if c.FinishReason != "tool_calls" || len(c.Message.ToolCalls) != 1 || c.Message.Content != nil {
		t.Fatalf("choice = %s", body)
	}
	if tc := c.Message.ToolCalls[0]; tc.Function.Name != "order_status" || tc.Function.Arguments != `{"order":"A1"}` || tc.Index != nil || !strings.HasPrefix(tc.ID, "call_") {
		t.Fatalf("tool call = %+v", tc)
	}

	_, body = do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","stream":true,"messages":[{"role":"user","content":"where?"}],`+tools+`}`)
	var sawCall, sawFinish bool
	for _, e := range readEvents(t, strings.NewReader(string(body))) {
		var ch chatCompletionChunk
		if json.Unmarshal([]byte(e), &ch) != nil || len(ch.Choices) == 0 {
			continue
		}
		for _, tc := range ch.Choices[0].Delta.ToolCalls {
			sawCall = tc.Function.Name == "order_status" && tc.Index != nil && *tc.Index == 0
		}
		if f := ch.Choices[0].FinishReason; f != nil {
			sawFinish = *f == "tool_calls"
		}
	}
	if !sawCall || !sawFinish {
		t.Fatalf("stream: call %v finish %v\n%s", sawCall, sawFinish, body)
	}
}

func TestForcedToolCallThatDoesNotParseStaysText(t *testing.T) {
	fake := &fakeModels{chat: replyWith(`{"name":"order_st`)}
	ts := newTestServer(t, fake, nil)
	_, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"order_status"}}],"tool_choice":"required"}`)
	var out chatCompletion
	json.Unmarshal(body, &out)
	if c := out.Choices[0]; len(c.Message.ToolCalls) != 0 || c.FinishReason == "tool_calls" || *c.Message.Content == "" {
		t.Fatalf("invented a call from broken output: %s", body)
	}
}

func TestToolCallsFromModel(t *testing.T) {
	fake := &fakeModels{chat: func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		var call inference.ToolCall
		json.Unmarshal([]byte(`{"id":"call_x","function":{"name":"f","arguments":{"a":1}}}`), &call)
		fn(inference.ChatChunk{ToolCalls: []inference.ToolCall{call}})
		return fn(inference.ChatChunk{Done: true, DoneReason: "stop"})
	}}
	ts := newTestServer(t, fake, nil)
	_, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}]}`)
	var out chatCompletion
	json.Unmarshal(body, &out)
	if c := out.Choices[0]; c.FinishReason != "tool_calls" || c.Message.ToolCalls[0].ID != "call_x" || c.Message.ToolCalls[0].Function.Arguments != `{"a":1}` {
		t.Fatalf("%s", body)
	}
}

func TestEmbeddings(t *testing.T) {
	var got inference.EmbedRequest
	fake := &fakeModels{}
	fake.embed = func(_ context.Context, req inference.EmbedRequest) (inference.EmbedResponse, error) {
		got = req
		vecs := [][]float32{{0.5, -1, 2}, {1, 2, 3}}
		return inference.EmbedResponse{Embeddings: vecs[:len(req.Input)], PromptTokens: 7}, nil
	}
	ts := newTestServer(t, fake, nil)
	resp, body := do(t, ts, "POST", "/v1/embeddings", `{"model":"org/embed","input":["a","b"],"encoding_format":"base64"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var out struct {
		Data []struct {
			Index     int
			Embedding string
		}
		Model string
		Usage embeddingUsage
	}
	json.Unmarshal(body, &out)
	raw, _ := base64.StdEncoding.DecodeString(out.Data[0].Embedding)
	if len(raw) != 12 || math.Float32frombits(binary.LittleEndian.Uint32(raw[4:])) != -1 {
		t.Fatalf("base64 vector decodes to %v", raw)
	}
	if out.Model != "org/embed" || out.Usage.PromptTokens != 7 || out.Data[1].Index != 1 || got.Model != "tag-embed" {
		t.Fatalf("out %+v, sent %+v", out, got)
	}

	_, body = do(t, ts, "POST", "/v1/embeddings", `{"model":"org/embed","input":"one"}`)
	var floats struct {
		Data []struct{ Embedding []float32 }
	}
	json.Unmarshal(body, &floats)
	if len(floats.Data) != 1 || floats.Data[0].Embedding[2] != 2 {
		t.Fatalf("float vectors: %s", body)
	}
}

func TestEmbeddingErrors(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, nil)
	for _, tc := range []struct {
		name, body, param string
		status            int
	}{
		{"no input", `{"model":"org/embed"}`, "input", 400},
		{"empty string", `{"model":"org/embed","input":""}`, "input", 400},
		{"empty array", `{"model":"org/embed","input":[]}`, "input", 400},
		{"empty item", `{"model":"org/embed","input":["a",""]}`, "input[1]", 400},
		{"tokens", `{"model":"org/embed","input":[1,2,3]}`, "input", 400},
		{"token arrays", `{"model":"org/embed","input":[[1,2]]}`, "input", 400},
		{"format", `{"model":"org/embed","input":"a","encoding_format":"hex"}`, "encoding_format", 400},
		{"dims zero", `{"model":"org/embed","input":"a","dimensions":0}`, "dimensions", 400},
		{"dims too big", `{"model":"org/embed","input":"a","dimensions":1024}`, "dimensions", 400},
		{"chat model", `{"model":"chat","input":"a"}`, "model", 400},
		{"unknown model", `{"model":"nope","input":"a"}`, "model", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, ts, "POST", "/v1/embeddings", tc.body)
			e := errorOf(t, body)
			if resp.StatusCode != tc.status || e.Param == nil || *e.Param != tc.param {
				t.Fatalf("status %d param %v: %s", resp.StatusCode, e.Param, body)
			}
		})
	}
}

func TestModels(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, nil)
	_, body := do(t, ts, "GET", "/v1/models", "")
	var list modelList
	json.Unmarshal(body, &list)
	if len(list.Data) != 3 || list.Data[0].ID != "chat" || list.Data[1].ID != "org/embed" || list.Data[1].Kind != "embedding" ||
		list.Data[2].ID != "shopdesk" || list.Data[2].Kind != "assistant" {
		t.Fatalf("list = %s", body)
	}
	resp, body := do(t, ts, "GET", "/v1/models/org/embed", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"id":"org/embed"`) {
		t.Fatalf("get with slash: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, ts, "GET", "/v1/models/nope", "")
	if resp.StatusCode != 404 || *errorOf(t, body).Code != "model_not_found" {
		t.Fatalf("missing: %d %s", resp.StatusCode, body)
	}
}

func TestRoutesAndMethods(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, nil)
	resp, body := do(t, ts, "GET", "/v1/nothing", "")
	if resp.StatusCode != 404 || *errorOf(t, body).Code != "unknown_url" {
		t.Fatalf("unknown route: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, ts, "GET", "/v1/chat/completions", "")
	if resp.StatusCode != 405 {
		t.Fatalf("wrong method: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, ts, "GET", "/metrics", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "shopdesk_http_requests_total") {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
}

func TestReadyz(t *testing.T) {
	var readyErr error
	calls := 0
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Ready = func(context.Context) error { calls++; return readyErr }
	})
	readyErr = &inference.Error{Kind: inference.ErrModelNotFound, Model: "bge-m3"}
	resp, body := do(t, ts, "GET", "/readyz", "")
	if resp.StatusCode != 503 || !strings.Contains(string(body), "default models not installed") || strings.Contains(string(body), "bge-m3") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	do(t, ts, "GET", "/readyz", "")
	if calls != 1 {
		t.Errorf("readiness checked %d times in quick succession, want 1 (cached)", calls)
	}
}

// testWriter sends server logs to the test's log, shown on failure. A
// request still finishing when the test has ended (a stream the client
// dropped) logs nowhere: testing panics on a Log after the test.
type testWriter struct {
	t    testing.TB
	mu   *sync.Mutex
	done *bool
}

func newTestWriter(t testing.TB) testWriter {
	w := testWriter{t: t, mu: new(sync.Mutex), done: new(bool)}
	t.Cleanup(func() {
		w.mu.Lock()
		*w.done = true
		w.mu.Unlock()
	})
	return w
}

func (w testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !*w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}
