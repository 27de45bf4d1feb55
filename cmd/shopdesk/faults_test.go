package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

const (
	acmeKey   = "sk-acme-0123456789abcdef"
	globexKey = "sk-globex-0123456789abcdef"
)

func TestAPIKeys(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, map[string]string{"SHOPDESK_API_KEYS": "acme:" + acmeKey + ", globex:" + globexKey})
	ctx := context.Background()
	params := openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi"), MaxTokens: openai.Int(2)}

	_, err := in.client("sk-wrong-0123456789abcdef").Chat.Completions.New(ctx, params)
	wantAPIError(t, err, 401, "invalid_api_key", "")
	status, _, body := in.post(t, "/v1/chat/completions", `{"model":"shopdesk-chat","messages":[{"role":"user","content":"hi"}]}`)
	if status != 401 || !strings.Contains(body, "missing_api_key") {
		t.Fatalf("no key: %d %s", status, body)
	}
	if _, err := in.client(acmeKey).Chat.Completions.New(ctx, params); err != nil {
		t.Fatalf("acme key: %v", err)
	}
	if _, err := in.client(globexKey).Models.List(ctx); err != nil {
		t.Fatalf("globex key: %v", err)
	}
	if !strings.Contains(in.stderr.String(), "tenant=acme") || !strings.Contains(in.stderr.String(), "tenant=globex") {
		t.Fatal("requests are not logged with their tenant")
	}
	if strings.Contains(in.stderr.String(), acmeKey) {
		t.Fatal("an API key was written to the log")
	}
}

func TestNoKeysServesLoopbackOnly(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--addr", "0.0.0.0:0")
	if !strings.HasPrefix(in.base, "http://127.0.0.1:") {
		t.Fatalf("listening on %s without API keys; want loopback only", in.base)
	}
	if !strings.Contains(in.stderr.String(), "no API keys configured: serving loopback only") {
		t.Fatal("startup does not say it serves loopback only")
	}
}

func TestOllamaUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	in := startShopdesk(t, dead, nil)
	_, err := in.client("").Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi")})
	e := wantAPIError(t, err, 503, "model_server_unavailable", "")
	if e.Response.Header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	if status, body := in.get(t, "/readyz"); status != 503 || !strings.Contains(body, "unreachable") {
		t.Fatalf("readyz = %d %s", status, body)
	}
	if status, _ := in.get(t, "/healthz"); status != 200 {
		t.Fatalf("healthz = %d; the server itself is alive", status)
	}
}

func TestReadyz(t *testing.T) {
	o := ollamatest.Shared(t)
	in := startShopdesk(t, o.URL, nil)
	if status, body := in.get(t, "/readyz"); status != 200 {
		t.Fatalf("readyz = %d %s", status, body)
	}
	missing := startShopdesk(t, o.URL, map[string]string{"SHOPDESK_CHAT_MODEL": "not-installed"})
	if status, body := missing.get(t, "/readyz"); status != 503 || !strings.Contains(body, "default models not installed") || strings.Contains(body, "not-installed") {
		t.Fatalf("readyz with a missing model = %d %s", status, body)
	}
	_, err := missing.client("").Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi")})
	wantAPIError(t, err, 404, "model_not_found", "model")
}

// openStream starts an endless streamed generation and returns once the
// first event has arrived; cancel ends it.
func openStream(t *testing.T, in *instance) (events *bufio.Reader, cancel context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, in.base+"/v1/chat/completions",
		strings.NewReader(`{"model":"shopdesk-chat","stream":true,"max_tokens":1000000,"messages":[{"role":"user","content":"Tell a long story"}]}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		cancel()
		t.Fatalf("stream status %d", resp.StatusCode)
	}
	r := bufio.NewReader(resp.Body)
	if _, err := r.ReadString('\n'); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	return r, cancel
}

func TestOverloadAnswers503(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ollama-concurrency", "1", "--ollama-queue", "0")
	_, cancel := openStream(t, in)
	defer cancel()
	start := time.Now()
	status, header, body := in.post(t, "/v1/chat/completions", `{"model":"shopdesk-chat","messages":[{"role":"user","content":"hi"}]}`)
	if status != 503 || !strings.Contains(body, "server_overloaded") || header.Get("Retry-After") == "" {
		t.Fatalf("second request: %d %v %s", status, header, body)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("overload answered after %v; want at once", took)
	}
}

func TestClientDisconnectStopsGeneration(t *testing.T) {
	// Ollama runs one generation at a time: if the abandoned one kept
	// going, the next request would wait behind it for the rest of its
	// million tokens (over an hour at stories260K's speed here); under a
	// loaded make test Ollama has taken over 20 seconds to let it in.
	o := ollamatest.Dedicated(t, "OLLAMA_NUM_PARALLEL=1")
	in := startShopdesk(t, o.URL, nil)
	events, cancel := openStream(t, in)
	for range 5 {
		if _, err := events.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	eventually(t, 5*time.Second, "the generation to end in shopdesk", func() bool {
		return in.metric(t, `shopdesk_ollama_in_flight{host="`+o.URL+`"}`) == "0"
	})
	ctx, stop := context.WithTimeout(context.Background(), 2*time.Minute)
	defer stop()
	if _, err := in.client("").Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi"), MaxTokens: openai.Int(4)}); err != nil {
		t.Fatalf("request after a client hung up: %v (Ollama may still be generating for it)", err)
	}
}

func TestOllamaKilledMidStream(t *testing.T) {
	o := ollamatest.Dedicated(t)
	in := startShopdesk(t, o.URL, nil)
	stream := in.client("").Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{
		Model: "shopdesk-chat", Messages: userMessage("Tell a long story"), MaxTokens: openai.Int(1_000_000)})
	chunks := 0
	for stream.Next() {
		if chunks++; chunks == 10 {
			o.Proc.Kill()
		}
	}
	err := stream.Err()
	if err == nil || !strings.Contains(err.Error(), "model server cannot be reached") {
		t.Fatalf("stream ended with %v; want one error event about the model server", err)
	}
	if status, _ := in.get(t, "/healthz"); status != 200 {
		t.Fatal("shopdesk went down with Ollama")
	}
	_, err = in.client("").Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi")})
	wantAPIError(t, err, 503, "model_server_unavailable", "")
	if in.metric(t, `shopdesk_stream_errors_total{code="model_server_unavailable"}`) != "1" {
		t.Fatal("the broken stream was not counted")
	}
}

// loaded lists the models an Ollama has in memory.
func loaded(t *testing.T, ollamaURL string) []string {
	t.Helper()
	resp, err := http.Get(ollamaURL + "/api/ps")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ps struct{ Models []struct{ Name string } }
	json.NewDecoder(resp.Body).Decode(&ps)
	var names []string
	for _, m := range ps.Models {
		names = append(names, m.Name)
	}
	return names
}

func TestModelSwapByEditingConfig(t *testing.T) {
	o := ollamatest.Dedicated(t)
	in := startShopdesk(t, o.URL, nil)
	c := in.client("")
	ctx := context.Background()

	// A stream in flight while the catalog changes finishes on its model.
	stream := c.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
		Model: "shopdesk-chat", Messages: userMessage("Once upon a time"), MaxTokens: openai.Int(300),
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
	var acc openai.ChatCompletionAccumulator
	swapped := false
	for stream.Next() {
		acc.AddChunk(stream.Current())
		if !swapped {
			writeCatalog(t, in.config, ollamatest.RandomModel)
			swapped = true
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("stream broken by the catalog edit: %v", err)
	}
	if acc.Choices[0].FinishReason != "length" || acc.Usage.CompletionTokens != 300 {
		t.Fatalf("stream in flight: finish %q after %d tokens", acc.Choices[0].FinishReason, acc.Usage.CompletionTokens)
	}

	eventually(t, 10*time.Second, "requests to reach the new model", func() bool {
		if _, err := c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi"), MaxTokens: openai.Int(2)}); err != nil {
			t.Fatal(err)
		}
		for _, m := range loaded(t, o.URL) {
			if m == ollamatest.RandomModel+":latest" {
				return true
			}
		}
		return false
	})
	if !strings.Contains(in.stderr.String(), "model catalog reloaded") {
		t.Fatal("reload not logged")
	}

	// A broken edit is refused and the catalog in force stays.
	if err := os.WriteFile(in.config, []byte("models: [ {id: broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the bad edit to be rejected", func() bool {
		return strings.Contains(in.stderr.String(), "model catalog edit rejected")
	})
	if _, err := c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "shopdesk-chat", Messages: userMessage("hi"), MaxTokens: openai.Int(2)}); err != nil {
		t.Fatalf("after a bad edit: %v", err)
	}
}
