package inference

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeOllama answers /api/chat and /api/embed with behaviour set per test.
type fakeOllama struct {
	*httptest.Server
	calls atomic.Int32
	chat  func(w http.ResponseWriter, r *http.Request)
	embed func(w http.ResponseWriter, r *http.Request)
}

func newFake(t *testing.T) *fakeOllama {
	f := &fakeOllama{}
	f.chat = func(w http.ResponseWriter, r *http.Request) { writeChat(w, "hello", " world") }
	f.embed = func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Input []string }
		json.NewDecoder(r.Body).Decode(&req)
		vecs := make([][]float32, len(req.Input))
		for i := range vecs {
			vecs[i] = []float32{float32(i), 1}
		}
		json.NewEncoder(w).Encode(map[string]any{"embeddings": vecs, "prompt_eval_count": len(req.Input)})
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		switch r.URL.Path {
		case "/api/chat":
			f.chat(w, r)
		case "/api/embed":
			f.embed(w, r)
		case "/api/tags":
			fmt.Fprint(w, `{"models":[{"name":"present:latest"}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func writeChat(w http.ResponseWriter, parts ...string) {
	enc := json.NewEncoder(w)
	for _, p := range parts {
		enc.Encode(map[string]any{"message": map[string]any{"role": "assistant", "content": p}, "done": false})
		w.(http.Flusher).Flush()
	}
	enc.Encode(map[string]any{"message": map[string]any{"role": "assistant"}, "done": true, "done_reason": "stop", "prompt_eval_count": 3, "eval_count": len(parts)})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// deadHost returns the URL of a port nothing listens on.
func deadHost(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func newClient(t *testing.T, opts Options) *Client {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collect(t *testing.T, c *Client, ctx context.Context) (string, ChatChunk, error) {
	t.Helper()
	var text strings.Builder
	var last ChatChunk
	err := c.Chat(ctx, ChatRequest{Model: "m", Messages: []Message{{Role: "user", Content: "hi"}}, Stream: true}, func(ch ChatChunk) error {
		text.WriteString(ch.Content)
		last = ch
		return nil
	})
	return text.String(), last, err
}

func TestChatStreams(t *testing.T) {
	f := newFake(t)
	c := newClient(t, Options{Hosts: []string{f.URL}})
	text, last, err := collect(t, c, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if text != "hello world" || !last.Done || last.DoneReason != "stop" || last.PromptTokens != 3 || last.CompletionTokens != 2 {
		t.Fatalf("text %q, last chunk %+v", text, last)
	}
}

func TestChatErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		want   error
	}{
		{"not found", http.StatusNotFound, ErrModelNotFound},
		{"busy", http.StatusServiceUnavailable, ErrOverloaded},
		{"bad request", http.StatusBadRequest, ErrBadRequest},
		{"internal", http.StatusInternalServerError, ErrUpstream},
		{"bad gateway", http.StatusBadGateway, ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.chat = func(w http.ResponseWriter, r *http.Request) { writeError(w, tc.status, "ollama says no") }
			c := newClient(t, Options{Hosts: []string{f.URL}})
			_, _, err := collect(t, c, context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, not an *Error", err)
			}
			if e.Message != "ollama says no" || e.Host != f.URL {
				t.Fatalf("error details = %+v", e)
			}
		})
	}
}

func TestProxyErrorPageIsNotTheClientsFault(t *testing.T) {
	f := newFake(t)
	f.chat = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, "<html><body>nginx: gpu1.corp 10.0.0.5 forbidden</body></html>")
	}
	c := newClient(t, Options{Hosts: []string{f.URL}})
	_, _, err := collect(t, c, context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrUpstream || strings.Contains(e.Message, "gpu1") {
		t.Fatalf("err = %+v; want ErrUpstream without the proxy's page", err)
	}
}

func TestLimiterServesInOrder(t *testing.T) {
	l := newLimiter(1, 10)
	if err := l.acquire(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	order := make(chan int, 3)
	for i := range 3 {
		go func() {
			l.acquire(context.Background(), 0)
			order <- i
			l.release()
		}()
		for l.queued() != i+1 {
			time.Sleep(time.Millisecond)
		}
	}
	l.release()
	for want := range 3 {
		if got := <-order; got != want {
			t.Fatalf("served %d before %d", got, want)
		}
	}
}

func TestPanickingCallbackReleasesItsSlot(t *testing.T) {
	f := newFake(t)
	c := newClient(t, Options{Hosts: []string{f.URL}, Concurrency: 1, Queue: 0})
	func() {
		defer func() { recover() }()
		c.Chat(context.Background(), ChatRequest{Model: "m", Stream: true}, func(ChatChunk) error { panic("boom") })
	}()
	if _, _, err := collect(t, c, context.Background()); err != nil {
		t.Fatalf("after a panicking caller: %v", err)
	}
}

func TestChatUnreachable(t *testing.T) {
	c := newClient(t, Options{Hosts: []string{deadHost(t)}})
	_, _, err := collect(t, c, context.Background())
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.RetryAfter <= 0 {
		t.Fatalf("err = %v; want an *Error with a RetryAfter hint", err)
	}
}

func TestChatFailsOverBeforeStreaming(t *testing.T) {
	good := newFake(t)
	dead := deadHost(t)
	c := newClient(t, Options{Hosts: []string{dead, good.URL}, FailureBackoff: time.Minute})
	for i := range 3 {
		text, _, err := collect(t, c, context.Background())
		if err != nil || text != "hello world" {
			t.Fatalf("request %d: %q, %v", i, text, err)
		}
	}
	st := c.Stats()
	if st[0].Healthy || st[0].LastError == "" {
		t.Errorf("dead host still marked healthy: %+v", st[0])
	}
	if !st[1].Healthy {
		t.Errorf("good host marked down: %+v", st[1])
	}
	if n := good.calls.Load(); n != 3 {
		t.Errorf("good host got %d calls, want 3", n)
	}
}

func TestChatModelMissingOnOneHost(t *testing.T) {
	lacking := newFake(t)
	lacking.chat = func(w http.ResponseWriter, r *http.Request) { writeError(w, 404, "model 'm' not found") }
	having := newFake(t)
	c := newClient(t, Options{Hosts: []string{lacking.URL, having.URL}})
	if text, _, err := collect(t, c, context.Background()); err != nil || text != "hello world" {
		t.Fatalf("%q, %v", text, err)
	}
	if !c.Stats()[0].Healthy {
		t.Error("a host that answered 404 was taken out of rotation")
	}
}

func TestChatNoRetryAfterStreamStarted(t *testing.T) {
	cut := newFake(t)
	cut.chat = func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"message": map[string]any{"content": "part"}, "done": false})
		w.(http.Flusher).Flush()
		// Drop the connection without the final message.
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}
	other := newFake(t)
	c := newClient(t, Options{Hosts: []string{cut.URL, other.URL}})
	text, _, err := collect(t, c, context.Background())
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable for a cut stream", err)
	}
	if text != "part" {
		t.Fatalf("text = %q", text)
	}
	if n := other.calls.Load(); n != 0 {
		t.Fatalf("a started stream was retried on another host (%d calls)", n)
	}
}

func TestChatIncompleteStreamIsAnError(t *testing.T) {
	f := newFake(t)
	f.chat = func(w http.ResponseWriter, r *http.Request) {
		// A clean end of body, but no done:true message.
		json.NewEncoder(w).Encode(map[string]any{"message": map[string]any{"content": "half"}, "done": false})
	}
	c := newClient(t, Options{Hosts: []string{f.URL}})
	if _, _, err := collect(t, c, context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestChatCallbackErrorPassesThrough(t *testing.T) {
	f := newFake(t)
	c := newClient(t, Options{Hosts: []string{f.URL}})
	mine := errors.New("client went away")
	err := c.Chat(context.Background(), ChatRequest{Model: "m", Stream: true}, func(ChatChunk) error { return mine })
	if err != mine {
		t.Fatalf("err = %v, want the callback's own error", err)
	}
}

func TestChatCancelReachesOllama(t *testing.T) {
	f := newFake(t)
	stopped := make(chan struct{})
	f.chat = func(w http.ResponseWriter, r *http.Request) {
		enc := json.NewEncoder(w)
		for {
			select {
			case <-r.Context().Done():
				close(stopped)
				return
			case <-time.After(5 * time.Millisecond):
				enc.Encode(map[string]any{"message": map[string]any{"content": "x"}, "done": false})
				w.(http.Flusher).Flush()
			}
		}
	}
	c := newClient(t, Options{Hosts: []string{f.URL}})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := c.Chat(ctx, ChatRequest{Model: "m", Stream: true}, func(ChatChunk) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Ollama kept generating after the caller cancelled")
	}
	if st := c.Stats()[0]; !st.Healthy || st.InFlight != 0 {
		t.Fatalf("after cancel: %+v", st)
	}
}

func TestOverloadIsPromptAndBounded(t *testing.T) {
	f := newFake(t)
	release := make(chan struct{})
	var started sync.WaitGroup
	f.chat = func(w http.ResponseWriter, r *http.Request) {
		started.Done()
		<-release
		writeChat(w, "ok")
	}
	c := newClient(t, Options{Hosts: []string{f.URL}, Concurrency: 2, Queue: 1, QueueTimeout: time.Minute})
	results := make(chan error, 3)
	started.Add(2)
	for range 3 { // two run, one queues
		go func() {
			_, _, err := collect(t, c, context.Background())
			results <- err
		}()
	}
	started.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for c.Stats()[0].Queued != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	begin := time.Now()
	_, _, err := collect(t, c, context.Background())
	if !errors.Is(err, ErrOverloaded) {
		t.Fatalf("fourth caller: err = %v, want ErrOverloaded", err)
	}
	if waited := time.Since(begin); waited > time.Second {
		t.Errorf("overload answer took %v; it should be immediate", waited)
	}
	started.Add(1)
	close(release)
	for range 3 {
		if err := <-results; err != nil {
			t.Errorf("admitted caller failed: %v", err)
		}
	}
}

func TestQueueTimeout(t *testing.T) {
	f := newFake(t)
	release := make(chan struct{})
	f.chat = func(w http.ResponseWriter, r *http.Request) { <-release; writeChat(w, "ok") }
	defer close(release)
	c := newClient(t, Options{Hosts: []string{f.URL}, Concurrency: 1, Queue: 5, QueueTimeout: 50 * time.Millisecond})
	go collect(t, c, context.Background())
	deadline := time.Now().Add(5 * time.Second)
	for c.Stats()[0].InFlight != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if _, _, err := collect(t, c, context.Background()); !errors.Is(err, ErrOverloaded) {
		t.Fatalf("err = %v, want ErrOverloaded after the queue wait", err)
	}
}

func TestRoutesToLeastLoadedHost(t *testing.T) {
	busy := newFake(t)
	release := make(chan struct{})
	busy.chat = func(w http.ResponseWriter, r *http.Request) { <-release; writeChat(w, "slow") }
	idle := newFake(t)
	c := newClient(t, Options{Hosts: []string{busy.URL, idle.URL}, Concurrency: 4})
	done := make(chan struct{})
	go func() { collect(t, c, context.Background()); close(done) }()
	// A regression would send requests to the busy host, which blocks: bound them.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	deadline := time.Now().Add(5 * time.Second)
	for c.Stats()[0].InFlight+c.Stats()[1].InFlight == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// Whichever host took the first request, the next ones go to the other
	// unless that one is the busy host.
	for range 3 {
		if _, _, err := collect(t, c, ctx); err != nil {
			close(release)
			t.Fatalf("%v (a request went to the busy host)", err)
		}
	}
	if n := idle.calls.Load(); n < 3 {
		t.Errorf("idle host got %d calls, want at least 3", n)
	}
	close(release)
	<-done
}

func TestEmbedBatches(t *testing.T) {
	f := newFake(t)
	c := newClient(t, Options{Hosts: []string{f.URL}, EmbedBatch: 2})
	resp, err := c.Embed(context.Background(), EmbedRequest{Model: "e", Input: []string{"a", "b", "c", "d", "e"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Embeddings) != 5 || resp.PromptTokens != 5 {
		t.Fatalf("got %d vectors, %d tokens", len(resp.Embeddings), resp.PromptTokens)
	}
	if n := f.calls.Load(); n != 3 {
		t.Fatalf("%d calls to Ollama, want 3 batches", n)
	}
}

func TestEmbedCountMismatch(t *testing.T) {
	f := newFake(t)
	f.embed = func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"embeddings":[[1,2]]}`) }
	c := newClient(t, Options{Hosts: []string{f.URL}})
	_, err := c.Embed(context.Background(), EmbedRequest{Model: "e", Input: []string{"a", "b"}})
	if !errors.Is(err, ErrUpstream) {
		t.Fatalf("err = %v, want ErrUpstream", err)
	}
}

func TestCheckModels(t *testing.T) {
	f := newFake(t)
	c := newClient(t, Options{Hosts: []string{deadHost(t), f.URL}})
	if err := c.CheckModels(context.Background(), []string{"present"}); err != nil {
		t.Fatalf("present model: %v", err)
	}
	err := c.CheckModels(context.Background(), []string{"present", "absent"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrModelNotFound || e.Model != "absent" {
		t.Fatalf("err = %v, want ErrModelNotFound naming absent", err)
	}
	dead := newClient(t, Options{Hosts: []string{deadHost(t)}})
	if err := dead.CheckModels(context.Background(), nil); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestParseHost(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1":                "http://127.0.0.1:11434",
		"127.0.0.1:9000":           "http://127.0.0.1:9000",
		"http://gpu-box:11434/":    "http://gpu-box:11434",
		"https://ollama.internal":  "https://ollama.internal:443",
		" http://[::1]:11434 ":     "http://[::1]:11434",
		"http://10.0.0.5:80/proxy": "http://10.0.0.5:80/proxy",
	} {
		u, err := ParseHost(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseHost(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, bad := range []string{"", "ftp://x", "http://"} {
		if _, err := ParseHost(bad); err == nil {
			t.Errorf("ParseHost(%q) accepted", bad)
		}
	}
}

func TestNormalizeTag(t *testing.T) {
	for in, want := range map[string]string{
		"bge-m3":                    "bge-m3:latest",
		"qwen2.5:7b-instruct":       "qwen2.5:7b-instruct",
		"Library/Model":             "library/model:latest",
		"registry:5000/team/model":  "registry:5000/team/model:latest",
		"registry:5000/team/m:v1.0": "registry:5000/team/m:v1.0",
	} {
		if got := NormalizeTag(in); got != want {
			t.Errorf("NormalizeTag(%q) = %q, want %q", in, got, want)
		}
	}
}
