package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference"
)

func TestOlderThan(t *testing.T) {
	if !OlderThan("0.11.9", MinOllama) || OlderThan("0.17.4", MinOllama) || OlderThan("dev", MinOllama) || OlderThan("v0.12.0-rc1", MinOllama) {
		t.Error("OlderThan")
	}
}

func TestDataDir(t *testing.T) {
	if f := DataDir(filepath.Join(t.TempDir(), "new")); f.Level != OK {
		t.Errorf("a new folder: %+v", f)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if f := DataDir(filepath.Join(file, "below")); f.Level != Fail || f.Fix == "" {
		t.Errorf("a folder under a file: %+v", f)
	}
}

func TestDeadHostFails(t *testing.T) {
	c, err := inference.New(inference.Options{Hosts: []string{"http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	rep := New(Options{Hosts: c.Hosts(), DataDir: t.TempDir()}).Examine(context.Background())
	if rep.Failures() != 1 || len(rep.Hosts) != 1 || rep.Hosts[0].Err == "" || !strings.Contains(rep.Findings[0].What, "does not answer") {
		t.Fatalf("%+v", rep)
	}
}
