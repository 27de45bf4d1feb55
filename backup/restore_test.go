package backup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var restoreOpts = RestoreOptions{
	Stores: []string{"shopdesk.db", "shopdesk.db-wal", "shopdesk.db-shm", "index"},
	Keep:   []string{"shopdesk.lock", "ollama", "backups"},
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "b")
	create(t, src)

	// Into an empty data directory (a lock file and a private Ollama's
	// models do not count).
	data := t.TempDir()
	os.WriteFile(filepath.Join(data, "shopdesk.lock"), []byte("123\n"), 0o644)
	os.MkdirAll(filepath.Join(data, "ollama", "models"), 0o755)
	m, err := Restore(ctx, src, data, restoreOpts)
	if err != nil {
		t.Fatal(err)
	}
	for p, content := range storeFiles {
		if got := readFile(t, filepath.Join(data, filepath.FromSlash(p))); got != content {
			t.Errorf("%s = %q, want %q", p, got, content)
		}
	}
	if len(m.Files) != 3 {
		t.Errorf("manifest %+v", m)
	}
	if _, err := os.Stat(filepath.Join(data, ManifestName)); err == nil {
		t.Error("the manifest was copied into the data directory")
	}

	// A data directory with stores in it is refused without Force.
	os.WriteFile(filepath.Join(data, "shopdesk.db"), []byte("newer data"), 0o644)
	os.WriteFile(filepath.Join(data, "shopdesk.db-wal"), []byte("a write-ahead log of the newer data"), 0o644)
	_, err = Restore(ctx, src, data, restoreOpts)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over stores: %v", err)
	}
	if got := readFile(t, filepath.Join(data, "shopdesk.db")); got != "newer data" {
		t.Errorf("a refused restore changed the data: %q", got)
	}

	// With Force the stores are replaced, the stale log goes with them,
	// and everything else stays.
	os.WriteFile(filepath.Join(data, "index", "keyword", "acme", "extra.zap"), []byte("x"), 0o644)
	if _, err := Restore(ctx, src, data, RestoreOptions{Stores: restoreOpts.Stores, Keep: restoreOpts.Keep, Force: true}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(data, "shopdesk.db")); got != "the database" {
		t.Errorf("after a forced restore: %q", got)
	}
	for _, gone := range []string{"shopdesk.db-wal", "index/keyword/acme/extra.zap"} {
		if _, err := os.Stat(filepath.Join(data, filepath.FromSlash(gone))); err == nil {
			t.Errorf("%s survived a forced restore", gone)
		}
	}
	for _, kept := range []string{"shopdesk.lock", "ollama/models"} {
		if _, err := os.Stat(filepath.Join(data, filepath.FromSlash(kept))); err != nil {
			t.Errorf("%s was removed: %v", kept, err)
		}
	}
	entries, _ := os.ReadDir(data)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".restore-") {
			t.Errorf("staging left behind: %s", e.Name())
		}
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	// A damaged backup leaves the data directory as it was.
	src := filepath.Join(t.TempDir(), "b")
	create(t, src)
	os.WriteFile(filepath.Join(src, "index", "keyword", "acme", "a.zap"), []byte("a segmenT"), 0o644)
	data := t.TempDir()
	os.WriteFile(filepath.Join(data, "shopdesk.db"), []byte("live"), 0o644)
	if _, err := Restore(ctx, src, data, RestoreOptions{Stores: restoreOpts.Stores, Force: true}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("restore of a damaged backup: %v", err)
	}
	if got := readFile(t, filepath.Join(data, "shopdesk.db")); got != "live" {
		t.Errorf("a failed restore changed the data: %q", got)
	}

	// A backup that holds something besides the stores is refused.
	odd := filepath.Join(t.TempDir(), "odd")
	if _, err := Create(ctx, odd, "test", fillWith(map[string]string{"shopdesk.db": "db", "ollama/models/evil": "x"})); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, odd, t.TempDir(), restoreOpts); err == nil || !strings.Contains(err.Error(), `"ollama"`) {
		t.Errorf("restore of a backup with other files: %v", err)
	}
	// A directory that is not a backup at all.
	if _, err := Restore(ctx, t.TempDir(), t.TempDir(), restoreOpts); err == nil || !strings.Contains(err.Error(), "not a shopdesk backup") {
		t.Errorf("restore of an empty directory: %v", err)
	}
}

func TestMove(t *testing.T) {
	src := filepath.Join(t.TempDir(), "b")
	create(t, src)
	dst := filepath.Join(t.TempDir(), "kept", "b")
	if _, err := Move(src, dst); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(dst); err != nil {
		t.Errorf("the moved backup: %v", err)
	}
	if _, err := os.Stat(src); err == nil {
		t.Error("the source is still there")
	}
	other := filepath.Join(t.TempDir(), "b")
	create(t, other)
	if _, err := Move(other, dst); err == nil {
		t.Error("a backup was moved over another")
	}
	os.Remove(filepath.Join(other, ManifestName))
	if _, err := Move(other, filepath.Join(t.TempDir(), "x")); err == nil {
		t.Error("a partial backup was moved")
	}
}
