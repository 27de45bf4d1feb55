// Package ollamatest gives integration tests a real Ollama with the tiny
// models from ../shared/models imported, the way httptest gives a real
// HTTP server.
//
// The ollama binary comes from SHOPDESK_OLLAMA_BIN, bin/ollama at the
// module root (make ollama), or PATH. Without one, tests are skipped, or
// fail when SHOPDESK_REQUIRE_INTEGRATION=1 (CI sets it). If OLLAMA_HOST
// names a running Ollama, Shared uses it instead of starting one.
package ollamatest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/inference/ollamaproc"
)

// The models every test Ollama has.
const (
	// ChatModel is stories260K: a real 260K-parameter Llama that writes
	// children's stories and also answers embedding requests (64 dims).
	ChatModel = "stories260k"
	// ToolsModel is stories260K with a chat template that offers tools, so
	// Ollama accepts tool definitions and parses tool calls from its output
	// (constrain the output with a JSON schema to get a call).
	ToolsModel = "stories-tools"
	// RandomModel is a one-layer Llama with random weights and the full
	// Llama-2 vocabulary; its output is gibberish.
	RandomModel = "tiny-random"
)

// EmbeddingDims is the vector size ChatModel produces.
const EmbeddingDims = 64

// toolsTemplate renders tools and tool calls the way the output parser in
// Ollama expects for JSON tool calls.
const toolsTemplate = `{{- if .Tools }}Tools: {{ range .Tools }}{{ .Function.Name }} {{ end }}
{{ end }}
{{- range .Messages }}{{ .Role }}: {{ .Content }}
{{- if .ToolCalls }}{{ range .ToolCalls }}{"name": "{{ .Function.Name }}", "arguments": {{ .Function.Arguments }}}{{ end }}{{ end }}
{{ end }}assistant: `

// Server is a running Ollama with the test models.
type Server struct {
	// URL is its base URL.
	URL string
	// Proc is the process when the test started it; nil for an external
	// Ollama named by OLLAMA_HOST.
	Proc *ollamaproc.Process
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
	sharedDir  string
)

// Shared returns one Ollama for the whole test binary, starting it on
// first use. Call Stop from TestMain to end it (see Main).
func Shared(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() {
		if host := os.Getenv("OLLAMA_HOST"); host != "" {
			shared, sharedErr = external(host)
			return
		}
		bin, err := Binary()
		if err != nil {
			sharedErr = err
			return
		}
		sharedDir, sharedErr = os.MkdirTemp("", "shopdesk-ollama-")
		if sharedErr != nil {
			return
		}
		shared, sharedErr = start(bin, sharedDir)
	})
	if sharedErr != nil {
		unavailable(t, sharedErr)
	}
	return shared
}

// Dedicated starts an Ollama that belongs to this test alone (to be killed
// mid-test, say) and stops it when the test ends.
func Dedicated(t testing.TB, env ...string) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		unavailable(t, err)
	}
	s, err := start(bin, t.TempDir(), env...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Proc.Stop)
	return s
}

// Main runs the package's tests and then stops the shared Ollama. Use it as
// the body of TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil && shared.Proc != nil {
		shared.Proc.Stop()
	}
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	return code
}

func unavailable(t testing.TB, err error) {
	t.Helper()
	Skip(t, "needs a real Ollama: "+err.Error())
}

// Skip skips an integration test that lacks what it needs (an Ollama, the
// shared data), saying why, or fails it when SHOPDESK_REQUIRE_INTEGRATION
// is 1 (CI). When SHOPDESK_SKIPPED names a file, it appends a line
// "reason<TAB>package.TestName" to it, from which make test prints one
// line naming every skipped test.
func Skip(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("SHOPDESK_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("integration test %s", reason)
	}
	if path := os.Getenv("SHOPDESK_SKIPPED"); path != "" {
		name := t.Name()
		if root, err := ModuleRoot(); err == nil {
			if wd, err := os.Getwd(); err == nil {
				if rel, err := filepath.Rel(root, wd); err == nil {
					name = filepath.ToSlash(rel) + "." + name
				}
			}
		}
		// One short append per line: concurrent test binaries do not
		// interleave them.
		if f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
			fmt.Fprintf(f, "%s\t%s\n", strings.Join(strings.Fields(reason), " "), name)
			f.Close()
		}
	}
	t.Skipf("skipping integration test (set SHOPDESK_REQUIRE_INTEGRATION=1 to fail instead): %s", reason)
}

// Binary finds the ollama executable.
func Binary() (string, error) {
	if bin := os.Getenv("SHOPDESK_OLLAMA_BIN"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("SHOPDESK_OLLAMA_BIN: %w", err)
		}
		return bin, nil
	}
	if root, err := ModuleRoot(); err == nil {
		bin := filepath.Join(root, "bin", "ollama")
		if _, err := os.Stat(bin); err == nil {
			return bin, nil
		}
	}
	if bin, err := exec.LookPath("ollama"); err == nil {
		return bin, nil
	}
	return "", fmt.Errorf("no ollama binary: run `make ollama`, put ollama on PATH, or set SHOPDESK_OLLAMA_BIN")
}

// ModuleRoot returns the directory holding go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// SharedDir returns the ../shared folder beside the repository (or
// SHOPDESK_SHARED).
func SharedDir() (string, error) {
	if dir := os.Getenv("SHOPDESK_SHARED"); dir != "" {
		return dir, nil
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(root), "shared")
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("shared data: %w", err)
	}
	return dir, nil
}

// ModelFile returns the path of a file in ../shared/models.
func ModelFile(name string) (string, error) {
	dir, err := SharedDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "models", name)
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	return path, nil
}

func start(bin, dir string, env ...string) (*Server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	logFile, err := os.Create(filepath.Join(dir, "ollama.log"))
	if err != nil {
		return nil, err
	}
	p, err := ollamaproc.Start(ctx, ollamaproc.Options{
		Bin:       bin,
		ModelsDir: filepath.Join(dir, "models"),
		Log:       logFile,
		Env:       env,
	})
	if err != nil {
		return nil, err
	}
	s := &Server{URL: p.URL, Proc: p}
	if err := importModels(ctx, s.URL); err != nil {
		p.Stop()
		return nil, err
	}
	return s, nil
}

func external(host string) (*Server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	u, err := inference.ParseHost(host)
	if err != nil {
		return nil, err
	}
	if err := importModels(ctx, u.String()); err != nil {
		return nil, fmt.Errorf("OLLAMA_HOST=%s: %w", host, err)
	}
	return &Server{URL: u.String()}, nil
}

// importModels creates the test models on the Ollama at url.
func importModels(ctx context.Context, url string) error {
	stories, err := ModelFile("stories260K.gguf")
	if err != nil {
		return err
	}
	random, err := ModelFile("llama-2-tiny-random.gguf")
	if err != nil {
		return err
	}
	c, err := inference.New(inference.Options{Hosts: []string{url}})
	if err != nil {
		return err
	}
	h := c.Hosts()[0]
	for _, m := range []struct {
		name, path string
		opts       inference.ImportOptions
	}{
		{ChatModel, stories, inference.ImportOptions{}},
		{ToolsModel, stories, inference.ImportOptions{Template: toolsTemplate}},
		{RandomModel, random, inference.ImportOptions{}},
	} {
		if err := h.ImportGGUF(ctx, m.name, m.path, m.opts, nil); err != nil {
			return err
		}
	}
	return nil
}
