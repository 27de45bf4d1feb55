package models

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const catalogA = "models:\n  - {id: chat, tag: model-a, kind: chat}\n  - {id: embed, tag: e, kind: embedding}\n"
const catalogB = "models:\n  - {id: chat, tag: model-b, kind: chat}\n  - {id: embed, tag: e, kind: embedding}\n"

func TestStoreReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopdesk.yaml")
	writeFile(t, path, catalogA)
	s, err := NewStore(StoreOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	before := s.Catalog()
	if tag := before.Default(KindChat).Tag; tag != "model-a" {
		t.Fatalf("tag = %s", tag)
	}

	writeFile(t, path, catalogB)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if tag := s.Catalog().Default(KindChat).Tag; tag != "model-b" {
		t.Fatalf("after reload tag = %s, want model-b", tag)
	}
	if tag := before.Default(KindChat).Tag; tag != "model-a" {
		t.Fatalf("a catalog already handed out changed: %s", tag)
	}

	writeFile(t, path, "models: [ {id: broken")
	if err := s.Reload(); err == nil {
		t.Fatal("invalid edit accepted")
	}
	if tag := s.Catalog().Default(KindChat).Tag; tag != "model-b" {
		t.Fatalf("after a bad edit tag = %s, want the previous model-b", tag)
	}
}

func TestNewStoreRejectsInvalidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopdesk.yaml")
	writeFile(t, path, "models: 3")
	if _, err := NewStore(StoreOptions{Path: path}); err == nil {
		t.Fatal("invalid file accepted at start")
	}
	if _, err := NewStore(StoreOptions{Path: filepath.Join(t.TempDir(), "missing.yaml")}); err == nil {
		t.Fatal("missing file accepted at start")
	}
}

func TestStoreWatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shopdesk.yaml")
	writeFile(t, path, catalogA)
	s, err := NewStore(StoreOptions{Path: path, Overrides: Overrides{EmbedTag: "override"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if s.Catalog().Default(KindChat).Tag == want {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("catalog did not switch to %s; it is %s", want, s.Catalog().Default(KindChat).Tag)
	}

	// Give the watcher a moment to register before the first write.
	time.Sleep(100 * time.Millisecond)
	writeFile(t, path, catalogB)
	waitFor("model-b")
	if tag := s.Catalog().Default(KindEmbedding).Tag; tag != "override" {
		t.Errorf("override lost on reload: embedding tag = %s", tag)
	}

	// Save by rename, as many editors do.
	tmp := filepath.Join(dir, ".shopdesk.yaml.swp")
	writeFile(t, tmp, catalogA)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	waitFor("model-a")
}
