package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

func TestModelsImportAdapter(t *testing.T) {
	base, err := ollamatest.ModelFile("stories260K.gguf")
	if err != nil {
		t.Skip(err)
	}
	lora := filepath.Join(t.TempDir(), "lora.gguf")
	if err := ollamatest.WriteLoRA(lora, 0.5); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"models", "import", "x", base, "--adapter", filepath.Join(t.TempDir(), "missing.gguf")}, "--adapter: stat"},
		{[]string{"models", "import", "--adapter", lora, "x"}, "usage: shopdesk models import NAME BASE.gguf [--adapter LORA.gguf]"},
		{[]string{"models", "import", "--ollama-host", "http://127.0.0.1:1", "x", lora}, "is a LoRA adapter, not a model"},
	} {
		if _, err := runCmd(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
	o := ollamatest.Shared(t)
	out, err := runCmd(t, "models", "import", "--adapter", lora, "--ollama-host", o.URL, "stories-lora-cmd", base)
	if err != nil || !strings.Contains(out, "created stories-lora-cmd") {
		t.Fatalf("import with an adapter: %v\n%s", err, out)
	}
}
