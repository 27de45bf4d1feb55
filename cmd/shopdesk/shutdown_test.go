package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// Shutting down while a hand-off notice is being delivered to a webhook
// that does not answer: serve cancels the delivery, returns, and nothing
// touches the stores after they close.
func TestShutdownDuringHandoffDelivery(t *testing.T) {
	delivering := make(chan struct{}, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so the server notices the client hanging up
		select {
		case delivering <- struct{}{}:
		default:
		}
		<-r.Context().Done() // never answers
	}))
	defer hook.Close()
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", filepath.Join(demoKnowledge, "faq.en.jsonl"),
		"--vector-store", "none", "--handoff-webhook", hook.URL)

	if r := in.chat(t, `{"message":"I want to talk to a person"}`); !r.Escalated {
		t.Fatalf("not handed off: %+v", r)
	}
	select {
	case <-delivering:
	case <-time.After(30 * time.Second):
		t.Fatal("the notice was never sent")
	}
	if err := in.shutdown(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	for _, bad := range []string{"database is closed", "index is closed", "panic"} {
		if strings.Contains(in.stderr.String(), bad) {
			t.Errorf("the log says %q:\n%s", bad, in.stderr.String())
		}
	}
	if strings.Contains(in.stderr.String(), "background work still running") {
		t.Errorf("background work outlived its grace:\n%s", in.stderr.String())
	}
}

// Shutting down while the knowledge base is being embedded again with a
// new model: serve cancels the re-embedding and waits for it to stop
// before it closes the stores and returns.
func TestShutdownDuringReembedding(t *testing.T) {
	o := ollamatest.Shared(t)
	data := t.TempDir()
	first := startShopdesk(t, o.URL, nil, "--data", data, "--ingest", filepath.Join(demoKnowledge, "faq.en.jsonl"))
	if err := first.shutdown(); err != nil {
		t.Fatal(err)
	}

	// A proxy to Ollama that lets the start-up probe through but holds
	// every embedding request of the re-embedding until it is cancelled.
	target, _ := url.Parse(o.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	embedding := make(chan struct{}, 1)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if r.URL.Path == "/api/embed" && !bytes.Contains(body, []byte(`["shopdesk"]`)) {
			select {
			case embedding <- struct{}{}:
			default:
			}
			<-r.Context().Done()
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	second := startShopdesk(t, front.URL, nil, "--data", data, "--embed-model", ollamatest.RandomModel)
	select {
	case <-embedding:
	case <-time.After(30 * time.Second):
		t.Fatalf("the knowledge base was not embedded again\n%s", second.stderr.String())
	}
	if err := second.shutdown(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	log := second.stderr.String()
	if !strings.Contains(log, "re-embedding stopped by shutdown") {
		t.Errorf("serve returned before the re-embedding stopped:\n%s", log)
	}
	for _, bad := range []string{"database is closed", "index is closed", "vector store is closed", "background work still running"} {
		if strings.Contains(log, bad) {
			t.Errorf("the log says %q:\n%s", bad, log)
		}
	}
}
