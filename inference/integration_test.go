package inference_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.Main(m)) }

func client(t *testing.T, url string) *inference.Client {
	t.Helper()
	c, err := inference.New(inference.Options{Hosts: []string{url}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRealChatAndEmbed(t *testing.T) {
	o := ollamatest.Shared(t)
	c := client(t, o.URL)
	ctx := context.Background()

	var text strings.Builder
	var chunks int
	var last inference.ChatChunk
	err := c.Chat(ctx, inference.ChatRequest{
		Model:    ollamatest.ChatModel,
		Messages: []inference.Message{{Role: "user", Content: "Once upon a time"}},
		Options:  map[string]any{"num_predict": 12, "temperature": 0, "seed": 1},
		Stream:   true,
	}, func(ch inference.ChatChunk) error {
		chunks++
		text.WriteString(ch.Content)
		last = ch
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if chunks < 2 || text.Len() == 0 {
		t.Fatalf("%d chunks, text %q: want a streamed answer", chunks, text.String())
	}
	if !last.Done || last.DoneReason != "length" || last.CompletionTokens != 12 || last.PromptTokens == 0 {
		t.Fatalf("final chunk = %+v, want done by length after 12 tokens", last)
	}

	resp, err := c.Embed(ctx, inference.EmbedRequest{Model: ollamatest.ChatModel, Input: []string{"refund policy", "shipping"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Embeddings) != 2 || len(resp.Embeddings[0]) != ollamatest.EmbeddingDims {
		t.Fatalf("got %d vectors of %d dims", len(resp.Embeddings), len(resp.Embeddings[0]))
	}
	short, err := c.Embed(ctx, inference.EmbedRequest{Model: ollamatest.ChatModel, Input: []string{"x"}, Dimensions: 16})
	if err != nil || len(short.Embeddings[0]) != 16 {
		t.Fatalf("dimensions=16: %v, %d dims", err, len(short.Embeddings[0]))
	}
}

func TestRealToolCall(t *testing.T) {
	o := ollamatest.Shared(t)
	c := client(t, o.URL)
	var tool inference.Tool
	if err := json.Unmarshal([]byte(`{"type":"function","function":{"name":"order_status","parameters":{"type":"object","properties":{"order":{"type":"string"}},"required":["order"]}}}`), &tool); err != nil {
		t.Fatal(err)
	}
	schema := `{"type":"object","properties":{"name":{"type":"string","enum":["order_status"]},"arguments":{"type":"object","properties":{"order":{"type":"string","enum":["A1001"]}},"required":["order"]}},"required":["name","arguments"]}`
	var calls []inference.ToolCall
	err := c.Chat(context.Background(), inference.ChatRequest{
		Model:    ollamatest.ToolsModel,
		Messages: []inference.Message{{Role: "user", Content: "Where is order A1001?"}},
		Tools:    []inference.Tool{tool},
		Format:   json.RawMessage(schema),
		Options:  map[string]any{"num_predict": 64, "temperature": 0},
	}, func(ch inference.ChatChunk) error {
		calls = append(calls, ch.ToolCalls...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 || calls[0].Function.Name != "order_status" {
		t.Fatalf("tool calls = %+v", calls)
	}
	if v, _ := calls[0].Function.Arguments.Get("order"); v != "A1001" {
		t.Fatalf("arguments = %s", calls[0].Function.Arguments.String())
	}
}

func TestRealErrors(t *testing.T) {
	o := ollamatest.Shared(t)
	c := client(t, o.URL)
	ctx := context.Background()
	err := c.Chat(ctx, inference.ChatRequest{Model: "no-such-model", Messages: []inference.Message{{Role: "user", Content: "hi"}}}, func(inference.ChatChunk) error { return nil })
	if !errors.Is(err, inference.ErrModelNotFound) {
		t.Fatalf("missing model: %v", err)
	}
	var tool inference.Tool
	json.Unmarshal([]byte(`{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}`), &tool)
	err = c.Chat(ctx, inference.ChatRequest{Model: ollamatest.ChatModel, Messages: []inference.Message{{Role: "user", Content: "hi"}}, Tools: []inference.Tool{tool}}, func(inference.ChatChunk) error { return nil })
	var e *inference.Error
	if !errors.As(err, &e) || e.Kind != inference.ErrBadRequest || !strings.Contains(e.Message, "does not support tools") {
		t.Fatalf("tools on a model without tool support: %v", err)
	}

	h := c.Hosts()[0]
	notGGUF := filepath.Join(t.TempDir(), "model.gguf")
	os.WriteFile(notGGUF, []byte("this is not a model"), 0o644)
	if err := h.ImportGGUF(ctx, "broken", notGGUF, inference.ImportOptions{}, nil); err == nil || !strings.Contains(err.Error(), "not a GGUF file") {
		t.Fatalf("import of a non-GGUF file: %v", err)
	}
	if v, err := h.Version(ctx); err != nil || v == "" {
		t.Fatalf("version = %q, %v", v, err)
	}
	info, err := h.Show(ctx, ollamatest.ChatModel)
	if err != nil || info.ContextLength == 0 || info.EmbeddingLength != ollamatest.EmbeddingDims {
		t.Fatalf("show = %+v, %v", info, err)
	}
	if _, err := h.Show(ctx, "no-such-model"); !errors.Is(err, inference.ErrModelNotFound) {
		t.Fatalf("show of a missing model: %v", err)
	}
}

// endless asks for a generation that only stops when cancelled.
func endless() inference.ChatRequest {
	return inference.ChatRequest{
		Model:    ollamatest.ChatModel,
		Messages: []inference.Message{{Role: "user", Content: "Tell a long story"}},
		Options:  map[string]any{"num_predict": 1_000_000},
		Stream:   true,
	}
}

func TestRealCancelStopsGeneration(t *testing.T) {
	// One generation at a time: if the cancelled one kept running, the
	// next request would wait behind it for the rest of its million tokens
	// (over an hour at stories260K's 250 tokens a second here). The next
	// request gets two minutes: under a loaded make test Ollama has taken
	// over 30 seconds to let it in.
	o := ollamatest.Dedicated(t, "OLLAMA_NUM_PARALLEL=1")
	c := client(t, o.URL)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := c.Chat(ctx, endless(), func(inference.ChatChunk) error {
		if n++; n == 20 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel2()
	err = c.Chat(ctx2, inference.ChatRequest{Model: ollamatest.ChatModel, Messages: []inference.Message{{Role: "user", Content: "hi"}}, Options: map[string]any{"num_predict": 5}}, func(inference.ChatChunk) error { return nil })
	if err != nil {
		t.Fatalf("request after a cancelled one: %v (the cancelled generation may still be running)", err)
	}
}

func TestRealOllamaKilledMidStream(t *testing.T) {
	o := ollamatest.Dedicated(t)
	c := client(t, o.URL)
	n := 0
	err := c.Chat(context.Background(), endless(), func(inference.ChatChunk) error {
		if n++; n == 10 {
			go o.Proc.Kill()
		}
		return nil
	})
	if !errors.Is(err, inference.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if c.Stats()[0].Healthy {
		t.Error("killed host still marked healthy")
	}
}
