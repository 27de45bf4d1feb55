package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.Main(m)) }

// testCatalog serves every model from the tiny test models.
const testCatalog = `models:
  - id: shopdesk-chat
    tag: %s
    kind: chat
    default: true
    options: {temperature: 0, num_ctx: 2048}
  - id: shopdesk-tools
    tag: stories-tools
    kind: chat
    options: {temperature: 0}
  - id: shopdesk-embed
    tag: stories260k
    kind: embedding
`

func writeCatalog(t testing.TB, path, chatTag string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(fmt.Sprintf(testCatalog, chatTag)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// instance is a running `shopdesk serve`.
type instance struct {
	base   string
	stdout *syncBuffer
	stderr *syncBuffer
	config string
	ollama string
	// shutdown stops serve as SIGTERM does and returns what it returned.
	shutdown func() error
}

// startShopdesk runs `shopdesk serve` in-process on a free port against the
// Ollama at ollamaURL, with a fresh config file and data directory. args
// and env add to or override that setup.
func startShopdesk(t testing.TB, ollamaURL string, env map[string]string, args ...string) *instance {
	t.Helper()
	dir := t.TempDir()
	in := &instance{stdout: &syncBuffer{}, stderr: &syncBuffer{}, config: filepath.Join(dir, "shopdesk.yaml"), ollama: ollamaURL}
	writeCatalog(t, in.config, "stories260k")
	full := append([]string{"shopdesk", "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"),
		"--config", in.config, "--ollama-host", ollamaURL}, args...)
	getenv := func(k string) string {
		if v, ok := env[k]; ok || k != "SHOPDESK_INTENT_VOTE" {
			return v
		}
		// Measuring the intent vote embeds some 1,300 examples; the tests
		// that want it say so.
		return "off"
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, full, getenv, in.stdout, in.stderr) }()
	in.shutdown = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(40 * time.Second):
			return errors.New("serve did not shut down")
		}
	})
	t.Cleanup(func() {
		if err := in.shutdown(); err != nil {
			t.Errorf("serve returned %v", err)
		}
		if t.Failed() {
			t.Logf("shopdesk log:\n%s", in.stderr.String())
		}
	})

	deadline := time.After(60 * time.Second)
	for {
		if _, rest, ok := strings.Cut(in.stdout.String(), "shopdesk is listening on "); ok {
			in.base = strings.Fields(rest)[0]
			return in
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, in.stderr.String())
		case <-deadline:
			t.Fatalf("serve did not start\n%s", in.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (in *instance) client(key string) *openai.Client {
	if key == "" {
		key = "unused"
	}
	c := openai.NewClient(option.WithBaseURL(in.base+"/v1/"), option.WithAPIKey(key), option.WithMaxRetries(0))
	return &c
}

// post sends a raw request and returns the status, headers and body.
func (in *instance) post(t *testing.T, path, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, in.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (in *instance) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(in.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric returns the value of one series from /metrics, or "" if absent.
func (in *instance) metric(t *testing.T, series string) string {
	t.Helper()
	_, body := in.get(t, "/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	return ""
}

// eventually polls cond until it holds or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func userMessage(text string) []openai.ChatCompletionMessageParamUnion {
	return []openai.ChatCompletionMessageParamUnion{openai.UserMessage(text)}
}
