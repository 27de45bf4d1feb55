package backup

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fillWith returns a fill that writes files (path → content).
func fillWith(files map[string]string) func(context.Context, string) (Contents, error) {
	return func(_ context.Context, dir string) (Contents, error) {
		for p, content := range files {
			path := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return Contents{}, err
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				return Contents{}, err
			}
		}
		return Contents{Documents: map[string]int{"acme": 2}, Chunks: 3}, nil
	}
}

var storeFiles = map[string]string{
	"shopdesk.db":                 "the database",
	"index/keyword/acme/a.zap":    "a segment",
	"index/vectors/s/vectors.log": "vectors",
}

func create(t *testing.T, dir string) *Manifest {
	t.Helper()
	m, err := Create(context.Background(), dir, "test", fillWith(storeFiles))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCreateAndVerify(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups", "b1")
	m := create(t, dir)
	if m.Format != Format || m.Version != "test" || len(m.Files) != 3 || m.Contents.Documents["acme"] != 2 || m.CreatedAt.IsZero() {
		t.Fatalf("manifest %+v", m)
	}
	got, err := Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != 3 || got.Files[0].Path != "index/keyword/acme/a.zap" || got.Contents.Chunks != 3 {
		t.Errorf("verified manifest %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("left beside the backup: %v", entries)
	}

	// An existing backup is never written over; an empty directory is used.
	if _, err := Create(context.Background(), dir, "test", fillWith(storeFiles)); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Create over a backup: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.Mkdir(empty, 0o755)
	if _, err := Create(context.Background(), empty, "test", fillWith(storeFiles)); err != nil {
		t.Errorf("Create into an empty directory: %v", err)
	}
}

func TestCreateFailureLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	_, err := Create(context.Background(), filepath.Join(parent, "b"), "test", func(_ context.Context, dir string) (Contents, error) {
		os.WriteFile(filepath.Join(dir, "shopdesk.db"), []byte("half"), 0o644)
		return Contents{}, errors.New("disk full")
	})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Create = %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed backup left %v", entries)
	}
}

// editManifest rewrites dir's manifest through fn.
func editManifest(t *testing.T, dir string, fn func(m map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, ManifestName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	data, _ = json.Marshal(m)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func firstFile(m map[string]any) map[string]any { return m["files"].([]any)[0].(map[string]any) }

func TestVerifyRefusesDamage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   string
	}{
		{"no manifest", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ManifestName)) }, "not a shopdesk backup"},
		{"manifest not JSON", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, ManifestName), []byte("{files"), 0o644)
		}, "not valid"},
		{"manifest empty", func(t *testing.T, dir string) { os.WriteFile(filepath.Join(dir, ManifestName), nil, 0o644) }, "not valid"},
		{"no format", func(t *testing.T, dir string) { editManifest(t, dir, func(m map[string]any) { delete(m, "format") }) }, "no format"},
		{"newer format", func(t *testing.T, dir string) { editManifest(t, dir, func(m map[string]any) { m["format"] = 2 }) }, "newer shopdesk"},
		{"no files", func(t *testing.T, dir string) { editManifest(t, dir, func(m map[string]any) { m["files"] = []any{} }) }, "lists no files"},
		{"parent path", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { firstFile(m)["path"] = "../../etc/passwd" })
		}, "not a plain path"},
		{"absolute path", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { firstFile(m)["path"] = "/etc/passwd" })
		}, "not a plain path"},
		{"path climbing inside", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { firstFile(m)["path"] = "index/../../x" })
		}, "not a plain path"},
		{"backslash", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { firstFile(m)["path"] = `index\x` })
		}, "not a plain path"},
		{"the manifest itself", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { firstFile(m)["path"] = ManifestName })
		}, "not a plain path"},
		{"listed twice", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { m["files"] = append(m["files"].([]any), firstFile(m)) })
		}, "twice"},
		{"bad checksum field", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { firstFile(m)["sha256"] = "xyz" })
		}, "valid size and SHA-256"},
		{"missing file", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "shopdesk.db")) }, "shopdesk.db is missing"},
		{"changed file", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "shopdesk.db"), []byte("the databasE"), 0o644)
		}, "damaged"},
		{"truncated file", func(t *testing.T, dir string) {
			os.Truncate(filepath.Join(dir, "index", "vectors", "s", "vectors.log"), 3)
		}, "damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "b")
			create(t, dir)
			tc.damage(t, dir)
			_, err := Verify(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Verify = %v, want an error saying %q", err, tc.want)
			}
		})
	}
	if _, err := Verify(filepath.Join(t.TempDir(), "nothing")); err == nil {
		t.Error("Verify of a missing directory succeeded")
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := Verify(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Verify of a file: %v", err)
	}
}

func TestValidName(t *testing.T) {
	for name, ok := range map[string]bool{
		"nightly": true, "2026-11-21T0300": true, "before.upgrade_2": true,
		"": false, "../etc": false, "a/b": false, ".hidden": false, "a..b": false, "-x": false,
		"with space": false, "备份": false, strings.Repeat("x", 65): false, `a\b`: false,
	} {
		if err := ValidName(name); (err == nil) != ok {
			t.Errorf("ValidName(%q) = %v, want ok %v", name, err, ok)
		}
	}
}
