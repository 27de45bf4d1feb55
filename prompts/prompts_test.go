package prompts

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./prompts -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s changed; if intended, run go test ./prompts -update\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestForcedToolCall(t *testing.T) {
	weather := Tool{Name: "order_status", Description: "Look up an order", Parameters: `{"type":"object","properties":{"order":{"type":"string"}}}`}
	returns := Tool{Name: "start_return", Parameters: `{"type":"object"}`}
	golden(t, "forced_one_tool", ForcedToolCall("", []Tool{weather}))
	golden(t, "forced_many_tools", ForcedToolCall("You help shoppers.", []Tool{weather, returns}))
}
