package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// chatReply is the body of POST /api/chat.
type chatReply struct {
	ConversationID string `json:"conversation_id"`
	Answer         string `json:"answer"`
	Sources        []struct {
		ID, Title, URL, Snippet string
	} `json:"sources"`
	Language  string `json:"language"`
	Sentiment struct {
		Label      string  `json:"label"`
		Score      float64 `json:"score"`
		Confidence float64 `json:"confidence"`
	} `json:"sentiment"`
	Escalated        bool    `json:"escalated"`
	EscalationReason string  `json:"escalation_reason"`
	Fallback         bool    `json:"fallback"`
	Outcome          string  `json:"outcome"`
	Intent           string  `json:"intent"`
	IntentConfidence float64 `json:"intent_confidence"`
	IntentBy         string  `json:"intent_by"`
}

func (in *instance) chat(t *testing.T, body string) chatReply {
	t.Helper()
	status, _, raw := in.post(t, "/api/chat", body)
	if status != 200 {
		t.Fatalf("POST /api/chat %s: %d %s", body, status, raw)
	}
	var r chatReply
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	return r
}

func hasSource(r chatReply, id string) bool {
	for _, s := range r.Sources {
		if s.ID == id {
			return true
		}
	}
	return false
}

// webhook collects hand-off notices.
func webhook(t *testing.T) (url string, got chan map[string]any) {
	got = make(chan map[string]any, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev map[string]any
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("hand-off body: %v: %s", err, body)
		}
		got <- ev
	}))
	t.Cleanup(srv.Close)
	return srv.URL, got
}

// A conversation through the native API with the real tiny model: the
// text is nonsense, the plumbing real: sources, memory, escalation,
// streaming, and the transcript.
func TestAssistantNativeAPI(t *testing.T) {
	hook, notices := webhook(t)
	in := startShopdesk(t, ollamatest.Shared(t).URL, map[string]string{"SHOPDESK_HANDOFF_WEBHOOK": hook},
		"--ingest", demoKnowledge, "--vector-store", "none", "--merchant", "Harbor Lane Outfitters")

	first := in.chat(t, `{"message":"How long do I have to return an item? My order is HL-100101.","customer_id":"C001"}`)
	if first.ConversationID == "" || first.Language != "en" || first.Escalated || first.Sentiment.Label == "" {
		t.Fatalf("first reply %+v", first)
	}
	if strings.TrimSpace(first.Answer) == "" {
		t.Fatal("empty answer")
	}
	switch first.Outcome {
	case "answered":
		if !hasSource(first, "faq-en-return-window") {
			t.Errorf("sources %+v miss the return-window FAQ", first.Sources)
		}
	case "dont_know": // the tiny model's text did not survive the grounding check
	default:
		t.Fatalf("outcome %s: %+v", first.Outcome, first)
	}

	second := in.chat(t, `{"conversation_id":"`+first.ConversationID+`","customer_id":"C001","message":"我要转人工客服"}`)
	if !second.Escalated || second.EscalationReason != "requested" || second.Language != "zh" || !strings.Contains(second.Answer, "人工客服") {
		t.Fatalf("hand-off reply %+v", second)
	}
	select {
	case ev := <-notices:
		if ev["conversation_id"] != first.ConversationID || ev["tenant"] != "default" || ev["reason"] != "requested" {
			t.Errorf("notice %v", ev)
		}
		if tr, _ := ev["transcript"].([]any); len(tr) != 4 {
			t.Errorf("notice transcript has %d turns, want 4", len(tr))
		}
		if s, _ := ev["summary"].(string); !strings.Contains(s, "HL-100101") {
			t.Errorf("notice summary %q does not carry the order number", s)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no hand-off notice")
	}

	status, raw := in.get(t, "/api/conversations/"+first.ConversationID)
	if status != 200 {
		t.Fatalf("GET conversation: %d %s", status, raw)
	}
	var conv struct {
		Escalated bool `json:"escalated"`
		Details   struct {
			OrderNumber string `json:"order_number"`
		} `json:"details"`
		CustomerID string `json:"customer_id"`
		Messages   []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	json.Unmarshal([]byte(raw), &conv)
	if !conv.Escalated || len(conv.Messages) != 4 || conv.Details.OrderNumber != "HL-100101" || conv.CustomerID != "C001" {
		t.Fatalf("stored conversation: %s", raw)
	}
	if status, _ := in.get(t, "/api/conversations/conv_doesnotexist"); status != 404 {
		t.Errorf("unknown conversation: %d", status)
	}
	if status, _, body := in.post(t, "/api/chat", `{"conversation_id":"`+first.ConversationID+`","message":"hi","customer_id":"C002"}`); status != 404 {
		t.Errorf("another customer continued the conversation: %d %s", status, body)
	}
	for _, bad := range []string{`{"message":""}`, `{"message":`, `{"message":"hi","conversation_id":"../x"}`, `{"message":42}`} {
		if status, _, body := in.post(t, "/api/chat", bad); status != 400 || !strings.Contains(body, `"message"`) {
			t.Errorf("%s: %d %s", bad, status, body)
		}
	}

	// Streaming: tokens, then sources, then the final state.
	req, _ := http.NewRequest(http.MethodPost, in.base+"/api/chat", strings.NewReader(`{"message":"退货运费谁出？","stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var events []string
	var text strings.Builder
	var done chatReply
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			event = name
			events = append(events, name)
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		switch event {
		case "token":
			var tok struct{ Text string }
			json.Unmarshal([]byte(data), &tok)
			text.WriteString(tok.Text)
		case "done":
			json.Unmarshal([]byte(data), &done)
		}
	}
	n := len(events)
	if n < 3 || events[0] != "token" || events[n-2] != "sources" || events[n-1] != "done" {
		t.Fatalf("events %v, want token..., sources, done", events)
	}
	if done.Answer != text.String() || done.Language != "zh" {
		t.Errorf("streamed %q, final %+v", text.String(), done)
	}
}

// The assistant behind /v1/chat/completions, through the official SDK.
func TestAssistantOpenAISDK(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", demoKnowledge, "--vector-store", "none")
	client := in.client("")
	ctx := context.Background()
	var raw *http.Response
	resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    "shopdesk",
		User:     openai.String("sdk-shopper-1"),
		Messages: userMessage("How long do I have to return an item?"),
	}, option.WithResponseInto(&raw))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Model != "shopdesk" || len(resp.Choices) != 1 || resp.Choices[0].Message.Content == "" {
		t.Fatalf("completion %+v", resp)
	}
	if raw.Header.Get("X-Conversation-ID") != "sdk-shopper-1" {
		t.Errorf("X-Conversation-ID = %q", raw.Header.Get("X-Conversation-ID"))
	}
	var extra struct {
		Sources        []struct{ ID string } `json:"sources"`
		ConversationID string                `json:"conversation_id"`
	}
	if err := json.Unmarshal([]byte(resp.RawJSON()), &extra); err != nil || extra.ConversationID != "sdk-shopper-1" || extra.Sources == nil {
		t.Fatalf("extra fields: %v %s", err, resp.RawJSON())
	}

	// Streaming continues the same conversation (the header wins over
	// "user"); the sources arrive in a chunk of their own before [DONE].
	stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
		Model: "shopdesk", Messages: userMessage("And how much is the return label?"),
	}, option.WithHeader("X-Conversation-ID", "sdk-shopper-1"))
	var acc openai.ChatCompletionAccumulator
	sawSources := false
	for stream.Next() {
		ch := stream.Current()
		acc.AddChunk(ch)
		if strings.Contains(ch.RawJSON(), `"sources"`) {
			sawSources = true
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if !sawSources || len(acc.Choices) != 1 || acc.Choices[0].Message.Content == "" || acc.Choices[0].FinishReason != "stop" {
		t.Fatalf("stream: sources %v, accumulated %+v", sawSources, acc.Choices)
	}
	status, body := in.get(t, "/api/conversations/sdk-shopper-1")
	if status != 200 || strings.Count(body, `"role":"user"`) != 2 {
		t.Fatalf("the SDK conversation was not remembered: %d %s", status, body)
	}
	// Plain model IDs still pass straight through to Ollama.
	plain, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("Once upon a time"), MaxTokens: openai.Int(16)})
	if err != nil || strings.Contains(plain.RawJSON(), `"sources"`) {
		t.Fatalf("plain model: %v %s", err, plain.RawJSON())
	}
	_, err = client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk", Messages: userMessage("hi"),
		Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{Name: "x"})}})
	wantAPIError(t, err, 400, "unsupported_parameter", "tools")
}

// With Ollama stopped, the assistant answers from the FAQ, verbatim, and
// says so, through both APIs.
func TestAssistantFallbackWithOllamaStopped(t *testing.T) {
	o := ollamatest.Dedicated(t)
	in := startShopdesk(t, o.URL, nil, "--ingest", filepath.Join(demoKnowledge, "faq.en.jsonl"), "--vector-store", "none")
	o.Proc.Stop()

	r := in.chat(t, `{"message":"How long do I have to return an item?"}`)
	if !r.Fallback || r.Outcome != "fallback" || !hasSource(r, "faq-en-return-window") ||
		!strings.HasPrefix(r.Answer, "You can return most items within 30 days of the delivery date") {
		t.Fatalf("fallback reply %+v", r)
	}
	resp, err := in.client("").Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model: "shopdesk", Messages: userMessage("How long do I have to return an item?")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].Message.Content != r.Answer || !strings.Contains(resp.RawJSON(), `"fallback":true`) {
		t.Fatalf("assistant fallback: %s", resp.RawJSON())
	}
	if in.metric(t, `shopdesk_assistant_answers_total{outcome="fallback"}`) != "2" {
		t.Error("fallbacks not counted")
	}
}
