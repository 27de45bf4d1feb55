package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

func TestClientDisconnectCancelsGeneration(t *testing.T) {
	stopped := make(chan error, 1)
	fake := &fakeModels{chat: func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		for {
			fn(inference.ChatChunk{Content: "x"}) // write errors ignored: only the context may stop this
			select {
			case <-ctx.Done():
				stopped <- ctx.Err()
				return ctx.Err()
			case <-time.After(2 * time.Millisecond):
			}
		}
	}}
	ts := newTestServer(t, fake, nil)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	bufio.NewReader(resp.Body).ReadString('\n')
	cancel()
	resp.Body.Close()
	select {
	case err := <-stopped:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("generation stopped with %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("generation kept running after the client disconnected")
	}
}

func TestDialTimeoutIsUnavailableNotTimeout(t *testing.T) {
	dialErr := &net.OpError{Op: "dial", Err: os.ErrDeadlineExceeded}
	fake := &fakeModels{chat: func(context.Context, inference.ChatRequest, func(inference.ChatChunk) error) error {
		return &inference.Error{Kind: inference.ErrUnavailable, RetryAfter: time.Second, Err: dialErr}
	}}
	ts := newTestServer(t, fake, nil)
	resp, body := do(t, ts, "POST", "/v1/chat/completions", hello)
	if resp.StatusCode != 503 || *errorOf(t, body).Code != "model_server_unavailable" {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

func TestPanicAfterStreamStartEndsWithErrorEvent(t *testing.T) {
	fake := &fakeModels{chat: func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		fn(inference.ChatChunk{Content: "partial"})
		panic("boom")
	}}
	var logs syncedBuffer
	ts := newTestServer(t, fake, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	_, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	events := readEvents(t, strings.NewReader(string(body)))
	if last := events[len(events)-1]; !strings.Contains(last, `"internal_error"`) {
		t.Fatalf("last event %q, want an error event", last)
	}
	if !strings.Contains(logs.String(), "msg=request ") || !strings.Contains(logs.String(), "panic serving request") {
		t.Fatalf("panicking request not logged:\n%s", logs.String())
	}
	_, metrics := do(t, ts, "GET", "/metrics", "")
	if !strings.Contains(string(metrics), `shopdesk_http_requests_total{route="/v1/chat/completions",status="200"} 1`) {
		t.Fatalf("panicking request not counted")
	}
}

func TestEmbeddingCountMismatchIs502(t *testing.T) {
	fake := &fakeModels{embed: func(context.Context, inference.EmbedRequest) (inference.EmbedResponse, error) {
		return inference.EmbedResponse{Embeddings: [][]float32{{1}}}, nil
	}}
	ts := newTestServer(t, fake, nil)
	resp, body := do(t, ts, "POST", "/v1/embeddings", `{"model":"org/embed","input":["a","b"]}`)
	if resp.StatusCode != 502 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

func TestModelMessagesNameTheEntryNotTheTag(t *testing.T) {
	fake := &fakeModels{chat: func(context.Context, inference.ChatRequest, func(inference.ChatChunk) error) error {
		return &inference.Error{Kind: inference.ErrBadRequest, Model: "tag-chat", Message: `"tag-chat" does not support thinking`}
	}}
	ts := newTestServer(t, fake, nil)
	_, body := do(t, ts, "POST", "/v1/chat/completions", hello)
	if e := errorOf(t, body); strings.Contains(e.Message, "tag-chat") || e.Message != `The model "chat" does not support reasoning_effort.` {
		t.Fatalf("message = %q", e.Message)
	}
}

func TestLoopbackGuardWithoutKeys(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, nil)
	for _, tc := range []struct {
		name, host, origin string
		status             int
	}{
		{"plain", "", "", 200},
		{"localhost", "localhost:8080", "", 200},
		{"loopback origin", "", "http://127.0.0.1:3000", 200},
		{"rebinding", "evil.example", "", 403},
		{"cross-origin", "", "https://evil.example", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+"/v1/chat/completions", strings.NewReader(hello))
			if tc.host != "" {
				req.Host = tc.host
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
	// With keys the key is the protection, whatever the host.
	keyed := newTestServer(t, &fakeModels{}, func(o *Options) { o.APIKeys = []APIKey{{Key: "sk-acme-0123456789abcdef", Tenant: "acme"}} })
	req, _ := http.NewRequest("POST", keyed.URL+"/v1/chat/completions", strings.NewReader(hello))
	req.Host = "api.shop.example"
	req.Header.Set("Authorization", "Bearer sk-acme-0123456789abcdef")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("keyed server refused a public host name: %d", resp.StatusCode)
	}
}

func TestMetricsNeedAKeyFromElsewhere(t *testing.T) {
	s, err := New(Options{Models: staticCatalog{models.BuiltIn(models.Overrides{})}, Chat: &fakeModels{}, Embed: &fakeModels{},
		Metrics: NewMetrics(nil), APIKeys: []APIKey{{Key: "sk-acme-0123456789abcdef", Tenant: "acme"}}})
	if err != nil {
		t.Fatal(err)
	}
	get := func(remote, key string) int {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = remote
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		return w.Code
	}
	if code := get("127.0.0.1:5000", ""); code != 200 {
		t.Errorf("loopback scrape: %d", code)
	}
	if code := get("10.1.2.3:5000", ""); code != 401 {
		t.Errorf("remote scrape without a key: %d", code)
	}
	if code := get("10.1.2.3:5000", "sk-acme-0123456789abcdef"); code != 200 {
		t.Errorf("remote scrape with a key: %d", code)
	}
}

func TestReadyzIgnoresImpatientProbes(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Ready = func(ctx context.Context) error {
			select {
			case <-time.After(100 * time.Millisecond):
				return nil
			case <-ctx.Done():
				return &inference.Error{Kind: inference.ErrUnavailable, Err: ctx.Err()}
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/readyz", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	time.Sleep(150 * time.Millisecond)
	if resp, body := do(t, ts, "GET", "/readyz", ""); resp.StatusCode != 200 {
		t.Fatalf("after an impatient probe: %d %s", resp.StatusCode, body)
	}
}

func TestLogprobsShape(t *testing.T) {
	fake := &fakeModels{chat: func(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
		var lp inference.Logprob
		lp.Token, lp.Logprob = "Hi", -0.5
		fn(inference.ChatChunk{Content: "Hi", Logprobs: []inference.Logprob{lp}})
		return fn(inference.ChatChunk{Done: true, DoneReason: "stop"})
	}}
	ts := newTestServer(t, fake, nil)
	_, body := do(t, ts, "POST", "/v1/chat/completions", `{"model":"chat","logprobs":true,"messages":[{"role":"user","content":"hi"}]}`)
	want := `"logprobs":{"content":[{"token":"Hi","logprob":-0.5,"bytes":[72,105],"top_logprobs":[]}],"refusal":null}`
	if !strings.Contains(string(body), want) {
		t.Fatalf("body %s\nwant it to contain %s", body, want)
	}
}

// syncedBuffer collects logs written from server goroutines.
type syncedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
