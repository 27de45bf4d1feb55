package main

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// The official OpenAI Go SDK against shopdesk against a real Ollama.

func TestSDKChat(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil)
	c := in.client("")
	ctx := context.Background()

	resp, err := c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:     "shopdesk-chat",
		Messages:  []openai.ChatCompletionMessageParamUnion{openai.SystemMessage("You tell stories."), openai.UserMessage("Once upon a time")},
		MaxTokens: openai.Int(8),
		Seed:      openai.Int(42),
	})
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	if ch.Message.Content == "" || ch.FinishReason != "length" || ch.Message.Role != "assistant" {
		t.Fatalf("choice = %+v", ch)
	}
	if resp.Usage.CompletionTokens != 8 || resp.Usage.PromptTokens == 0 || resp.Usage.TotalTokens != resp.Usage.PromptTokens+8 {
		t.Fatalf("usage = %+v", resp.Usage)
	}
	if resp.Model != "shopdesk-chat" || !strings.HasPrefix(resp.ID, "chatcmpl-") {
		t.Fatalf("model %q id %q", resp.Model, resp.ID)
	}

	// Stop sequences and content given as an array of text parts.
	parts := []openai.ChatCompletionContentPartUnionParam{openai.TextContentPart("Once upon"), openai.TextContentPart("a time")}
	resp, err = c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:     "shopdesk-chat",
		Messages:  []openai.ChatCompletionMessageParamUnion{openai.UserMessage(parts)},
		MaxTokens: openai.Int(200),
		Stop:      openai.ChatCompletionNewParamsStopUnion{OfStringArray: []string{"."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Choices[0]; got.FinishReason != "stop" || strings.Contains(got.Message.Content, ".") {
		t.Fatalf("stop sequence ignored: %+v", got)
	}
}

func TestSDKStream(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil)
	c := in.client("")
	stream := c.Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{
		Model:         "shopdesk-chat",
		Messages:      userMessage("Once upon a time"),
		MaxTokens:     openai.Int(16),
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	})
	var acc openai.ChatCompletionAccumulator
	chunks := 0
	var text strings.Builder
	for stream.Next() {
		chunk := stream.Current()
		acc.AddChunk(chunk)
		chunks++
		if len(chunk.Choices) > 0 {
			text.WriteString(chunk.Choices[0].Delta.Content)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if chunks < 5 {
		t.Fatalf("%d chunks; want the answer streamed piece by piece", chunks)
	}
	if acc.Choices[0].Message.Content != text.String() || text.Len() == 0 || acc.Choices[0].FinishReason != "length" {
		t.Fatalf("accumulated %+v, text %q", acc.Choices[0], text.String())
	}
	if acc.Usage.CompletionTokens != 16 {
		t.Fatalf("usage = %+v", acc.Usage)
	}
}

var orderTool = openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
	Name:        "order_status",
	Description: openai.String("Look up an order"),
	Parameters: shared.FunctionParameters{
		"type":       "object",
		"properties": map[string]any{"order": map[string]any{"type": "string", "enum": []string{"A1001"}}},
		"required":   []string{"order"},
	},
})

// callSchema makes the tiny model's output a tool call, so Ollama's own
// tool-call parser has something to find.
var callSchema = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
	JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "call", Schema: map[string]any{
		"type": "object",
		"properties": map[string]any{
			"name":      map[string]any{"type": "string", "enum": []string{"order_status"}},
			"arguments": map[string]any{"type": "object", "properties": map[string]any{"order": map[string]any{"type": "string", "enum": []string{"A1001"}}}, "required": []string{"order"}},
		},
		"required": []string{"name", "arguments"},
	}},
}}

func checkCall(t *testing.T, name, args string) {
	t.Helper()
	var a map[string]string
	if name != "order_status" || json.Unmarshal([]byte(args), &a) != nil || a["order"] != "A1001" {
		t.Fatalf("tool call %s(%s)", name, args)
	}
}

func TestSDKToolCalls(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil)
	c := in.client("")
	ctx := context.Background()

	cases := []struct {
		name   string
		params openai.ChatCompletionNewParams
	}{
		// Ollama offers the tools to the model and parses the call.
		{"model calls", openai.ChatCompletionNewParams{Model: "shopdesk-tools", Messages: userMessage("Where is order A1001?"),
			Tools: []openai.ChatCompletionToolUnionParam{orderTool}, ResponseFormat: callSchema, MaxTokens: openai.Int(64)}},
		// tool_choice names the function: shopdesk forces the call.
		{"forced call", openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("Where is order A1001?"),
			Tools:      []openai.ChatCompletionToolUnionParam{orderTool},
			ToolChoice: openai.ToolChoiceOptionFunctionToolChoice(openai.ChatCompletionNamedToolChoiceFunctionParam{Name: "order_status"}),
			MaxTokens:  openai.Int(64)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.Chat.Completions.New(ctx, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			ch := resp.Choices[0]
			if ch.FinishReason != "tool_calls" || len(ch.Message.ToolCalls) != 1 {
				t.Fatalf("choice = %+v", ch)
			}
			call := ch.Message.ToolCalls[0]
			if call.ID == "" || call.Type != "function" {
				t.Fatalf("call = %+v", call)
			}
			checkCall(t, call.Function.Name, call.Function.Arguments)

			// The same through a stream.
			stream := c.Chat.Completions.NewStreaming(ctx, tc.params)
			var acc openai.ChatCompletionAccumulator
			var finished []openai.FinishedChatCompletionToolCall
			for stream.Next() {
				acc.AddChunk(stream.Current())
				if tool, ok := acc.JustFinishedToolCall(); ok {
					finished = append(finished, tool)
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			if acc.Choices[0].FinishReason != "tool_calls" || len(acc.Choices[0].Message.ToolCalls) != 1 {
				t.Fatalf("streamed choice = %+v", acc.Choices[0])
			}
			tcall := acc.Choices[0].Message.ToolCalls[0]
			checkCall(t, tcall.Function.Name, tcall.Function.Arguments)
			if len(finished) != 1 {
				t.Fatalf("the SDK saw %d finished tool calls", len(finished))
			}
		})
	}

	// A tool result goes back to the model as a tool message.
	resp, err := c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model: "shopdesk-tools",
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.UserMessage("Where is order A1001?"),
			{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{{
				OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_1",
					Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "order_status", Arguments: `{"order":"A1001"}`}},
			}}}},
			openai.ToolMessage("Shipped yesterday.", "call_1"),
		},
		Tools:     []openai.ChatCompletionToolUnionParam{orderTool},
		MaxTokens: openai.Int(8),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].Message.Content == "" {
		t.Fatalf("no answer after the tool result: %+v", resp.Choices[0])
	}
}

func TestSDKEmbeddings(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil)
	c := in.client("")
	ctx := context.Background()
	input := openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"Where is my order?", "退货政策是什么？"}}

	asFloat, err := c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "shopdesk-embed", Input: input,
		EncodingFormat: openai.EmbeddingNewParamsEncodingFormatFloat})
	if err != nil {
		t.Fatal(err)
	}
	asBase64, err := c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "shopdesk-embed", Input: input,
		EncodingFormat: openai.EmbeddingNewParamsEncodingFormatBase64})
	if err != nil {
		t.Fatal(err)
	}
	if len(asFloat.Data) != 2 || len(asFloat.Data[0].Embedding) != ollamatest.EmbeddingDims || asFloat.Usage.PromptTokens == 0 {
		t.Fatalf("float: %d vectors of %d dims, usage %+v", len(asFloat.Data), len(asFloat.Data[0].Embedding), asFloat.Usage)
	}
	for i := range asFloat.Data {
		f, b := asFloat.Data[i].Embedding, asBase64.Data[i].Embedding
		if len(b) != len(f) {
			t.Fatalf("base64 vector %d has %d dims, float %d", i, len(b), len(f))
		}
		for j := range f {
			if math.Abs(f[j]-b[j]) > 1e-6 {
				t.Fatalf("vector %d differs at %d: float %v, base64 %v", i, j, f[j], b[j])
			}
		}
	}

	short, err := c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "shopdesk-embed",
		Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("hello")}, Dimensions: openai.Int(16)})
	if err != nil || len(short.Data[0].Embedding) != 16 {
		t.Fatalf("dimensions 16: %v", err)
	}
	_, err = c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "shopdesk-embed",
		Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("hello")}, Dimensions: openai.Int(4096)})
	wantAPIError(t, err, 400, "invalid_value", "dimensions")
}

func TestSDKModels(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil)
	c := in.client("")
	page, err := c.Models.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range page.Data {
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, ",") != "shopdesk-chat,shopdesk-tools,shopdesk-embed,shopdesk" {
		t.Fatalf("models = %v; want the default chat model first", ids)
	}
	m, err := c.Models.Get(context.Background(), "shopdesk-embed")
	if err != nil || m.ID != "shopdesk-embed" || m.OwnedBy != "shopdesk" {
		t.Fatalf("get = %+v, %v", m, err)
	}
	_, err = c.Models.Get(context.Background(), "gpt-5")
	wantAPIError(t, err, 404, "model_not_found", "model")
}

func wantAPIError(t *testing.T, err error, status int, code, param string) *openai.Error {
	t.Helper()
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an API error %d", err, status)
	}
	if apiErr.StatusCode != status || apiErr.Code != code || (param != "" && apiErr.Param != param) || apiErr.Message == "" {
		t.Fatalf("got %d code %q param %q (%s); want %d %q %q", apiErr.StatusCode, apiErr.Code, apiErr.Param, apiErr.Message, status, code, param)
	}
	return apiErr
}

func TestSDKErrors(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--max-body", "64KiB")
	c := in.client("")
	ctx := context.Background()

	_, err := c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "gpt-4o", Messages: userMessage("hi")})
	wantAPIError(t, err, 404, "model_not_found", "model")

	_, err = c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi"), N: openai.Int(2)})
	wantAPIError(t, err, 400, "unsupported_parameter", "n")

	_, err = c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi"),
		LogitBias: map[string]int64{"50256": -100}})
	wantAPIError(t, err, 400, "unsupported_parameter", "logit_bias")

	_, err = c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "shopdesk-chat", Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("x")}})
	wantAPIError(t, err, 400, "invalid_value", "model")

	// Tools offered to a model whose template has no tool support: Ollama
	// refuses, and the client hears why.
	_, err = c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi"),
		Tools: []openai.ChatCompletionToolUnionParam{orderTool}})
	if e := wantAPIError(t, err, 400, "rejected_by_model", ""); !strings.Contains(e.Message, "does not support tools") {
		t.Fatalf("message = %q", e.Message)
	}

	status, _, body := in.post(t, "/v1/chat/completions", `{"model":"shopdesk-chat","messages":[{"role":"user","content":"hi"}`)
	if status != 400 || !strings.Contains(body, `"code":"invalid_json"`) {
		t.Fatalf("malformed JSON: %d %s", status, body)
	}
	status, _, body = in.post(t, "/v1/chat/completions", `{"model":"shopdesk-chat","messages":[{"role":"user","content":"`+strings.Repeat("x", 100<<10)+`"}]}`)
	if status != 413 || !strings.Contains(body, `"code":"request_too_large"`) {
		t.Fatalf("large body: %d %.200s", status, body)
	}
	if status, _ := in.get(t, "/healthz"); status != 200 {
		t.Fatal("healthz after errors")
	}
}
