package inference_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

func digestOf(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// The create request names the adapter as a Modelfile's ADAPTER line
// would: its uploaded blob under "adapters".
func TestImportAdapterRequest(t *testing.T) {
	base, err := ollamatest.ModelFile("stories260K.gguf")
	if err != nil {
		t.Skip(err)
	}
	lora := filepath.Join(t.TempDir(), "lora.gguf")
	if err := ollamatest.WriteLoRA(lora, 0.5); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var blobs []string
	var create map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/blobs/"):
			if r.Method == http.MethodPost {
				blobs = append(blobs, strings.TrimPrefix(r.URL.Path, "/api/blobs/"))
			}
			w.WriteHeader(http.StatusCreated)
		case r.URL.Path == "/api/create":
			json.NewDecoder(r.Body).Decode(&create)
			w.Write([]byte(`{"status":"success"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := inference.New(inference.Options{Hosts: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Hosts()[0].ImportGGUF(context.Background(), "stories-lora", base, inference.ImportOptions{Adapter: lora}, nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := digestOf(t, lora)
	adapters, _ := create["adapters"].(map[string]any)
	files, _ := create["files"].(map[string]any)
	if adapters["lora.gguf"] != want || files["stories260K.gguf"] != digestOf(t, base) || len(adapters) != 1 {
		t.Fatalf("create request: %v", create)
	}
	if len(blobs) != 2 || blobs[1] != want {
		t.Fatalf("uploaded blobs %v, want the base and %s", blobs, want)
	}
}

// A file that is not what it is given as fails before anything is sent.
func TestImportAdapterChecks(t *testing.T) {
	base, err := ollamatest.ModelFile("stories260K.gguf")
	if err != nil {
		t.Skip(err)
	}
	random, err := ollamatest.ModelFile("llama-2-tiny-random.gguf")
	if err != nil {
		t.Skip(err)
	}
	lora := filepath.Join(t.TempDir(), "lora.gguf")
	ollamatest.WriteLoRA(lora, 0.5)
	notGGUF := filepath.Join(t.TempDir(), "notes.gguf")
	os.WriteFile(notGGUF, []byte("hello"), 0o644)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("%s %s sent for a bad import", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	c, _ := inference.New(inference.Options{Hosts: []string{srv.URL}})
	h := c.Hosts()[0]
	for _, tc := range []struct {
		name, base, adapter, want string
	}{
		{"model as adapter", base, random, "is not a LoRA adapter"},
		{"adapter as model", lora, "", "is a LoRA adapter, not a model"},
		{"not GGUF", base, notGGUF, "not a GGUF file"},
		{"missing", base, filepath.Join(t.TempDir(), "missing.gguf"), "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := h.ImportGGUF(context.Background(), "x", tc.base, inference.ImportOptions{Adapter: tc.adapter}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// With the real Ollama, the adapter is applied: the model it makes writes
// something else than its base, at temperature 0.
func TestImportAdapterReal(t *testing.T) {
	o := ollamatest.Shared(t)
	base, err := ollamatest.ModelFile("stories260K.gguf")
	if err != nil {
		t.Fatal(err)
	}
	lora := filepath.Join(t.TempDir(), "lora.gguf")
	if err := ollamatest.WriteLoRA(lora, 0.5); err != nil {
		t.Fatal(err)
	}
	c := client(t, o.URL)
	ctx := context.Background()
	if err := c.Hosts()[0].ImportGGUF(ctx, "stories-lora-test", base, inference.ImportOptions{Adapter: lora}, nil); err != nil {
		t.Fatal(err)
	}
	write := func(model string) string {
		var out strings.Builder
		err := c.Chat(ctx, inference.ChatRequest{Model: model, Messages: []inference.Message{{Role: "user", Content: "Once upon a time"}},
			Options: map[string]any{"temperature": 0, "num_predict": 16}}, func(ch inference.ChatChunk) error {
			out.WriteString(ch.Content)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		return out.String()
	}
	plain, adapted := write(ollamatest.ChatModel), write("stories-lora-test")
	if plain == adapted || adapted == "" {
		t.Fatalf("the adapter changed nothing: %q", adapted)
	}
}
