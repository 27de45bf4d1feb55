// Package backup writes and checks backups of shopdesk's data directory:
// a directory holding a copy of the stores and a manifest that lists
// every file of the copy with its size and SHA-256, so that a restore
// can tell a whole backup from a damaged or partial one.
//
// What goes into the copy is the caller's (cmd/shopdesk takes it from
// the running stores); this package names, checks and moves files.
package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Format is the version of the manifest this package writes; Verify
// refuses others.
const Format = 1

// ManifestName is the manifest's file name in a backup directory.
const ManifestName = "manifest.json"

// Limits on a manifest read back, which may come from anywhere.
const (
	maxManifestBytes = 16 << 20
	maxFiles         = 200_000
)

// File is one file of a backup, by its slash-separated path inside the
// backup directory.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Contents say, for people, what a backup holds.
type Contents struct {
	// Documents counts each tenant's knowledge-base documents.
	Documents map[string]int `json:"documents"`
	Chunks    int            `json:"chunks"`
	// VectorSpace names the embedding space of the vectors copied; empty
	// means none were, and a restored server embeds the chunks again.
	VectorSpace string `json:"vector_space,omitempty"`
}

// Manifest describes a backup.
type Manifest struct {
	Format    int       `json:"format"`
	Version   string    `json:"shopdesk_version"`
	CreatedAt time.Time `json:"created_at"`
	Contents  Contents  `json:"contents"`
	Files     []File    `json:"files"`
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidName reports whether name may name a backup made through the API:
// 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit,
// and no "..": a name never reaches outside the backups directory.
func ValidName(name string) error {
	if !validName.MatchString(name) || strings.Contains(name, "..") {
		return fmt.Errorf("backup name %q: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// Create writes a backup into dir, which must not exist or be empty: fill
// writes the copy into a fresh directory beside dir, then every file in
// it is listed in the manifest and the directory takes dir's name, so a
// backup cut short never looks like a whole one. version is the
// shopdesk version recorded in the manifest.
func Create(ctx context.Context, dir, version string, fill func(ctx context.Context, dir string) (Contents, error)) (*Manifest, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("backup: %s: %w and is not empty", dir, fs.ErrExist)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("backup: %w", err)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".partial-")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	m := &Manifest{Format: Format, Version: version, CreatedAt: time.Now().UTC()}
	if m.Contents, err = fill(ctx, tmp); err != nil {
		return nil, err
	}
	if m.Files, err = list(tmp); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := writeManifest(tmp, m); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	os.Remove(dir) // an empty directory given as the target
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	done = true
	syncDir(parent)
	return m, nil
}

// list returns every file under dir with its size and checksum.
func list(dir string) ([]File, error) {
	var files []File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", path)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		size, sum, err := checksum(f)
		if err != nil {
			return err
		}
		files = append(files, File{Path: filepath.ToSlash(rel), Size: size, SHA256: sum})
		return f.Sync()
	})
	return files, err
}

func checksum(r io.Reader) (int64, string, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, ManifestName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Verify checks the backup in dir against its manifest: a known format,
// safe file names, and every file listed present with its size and
// checksum. The error names the first problem.
func Verify(dir string) (*Manifest, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	for _, f := range m.Files {
		file, err := os.Open(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, fmt.Errorf("backup %s is incomplete: %s is missing", dir, f.Path)
		}
		size, sum, err := checksum(file)
		file.Close()
		if err != nil {
			return nil, fmt.Errorf("backup %s: reading %s: %w", dir, f.Path, err)
		}
		if size != f.Size || sum != f.SHA256 {
			return nil, fmt.Errorf("backup %s is damaged: %s does not match its checksum in the manifest", dir, f.Path)
		}
	}
	return m, nil
}

// readManifest reads and checks dir's manifest, but not the files.
func readManifest(dir string) (*Manifest, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("backup %s is not a directory", dir)
	}
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is not a shopdesk backup: it has no %s (a backup cut short has none)", dir, ManifestName)
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if len(data) > maxManifestBytes {
		return nil, fmt.Errorf("backup %s: %s is larger than %d MiB", dir, ManifestName, maxManifestBytes>>20)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("backup %s: %s is not valid: %v", dir, ManifestName, err)
	}
	switch {
	case m.Format == 0:
		return nil, fmt.Errorf("backup %s: %s has no format version", dir, ManifestName)
	case m.Format > Format:
		return nil, fmt.Errorf("backup %s was made by a newer shopdesk (format %d; this one reads %d): restore it with that version", dir, m.Format, Format)
	case m.Format != Format:
		return nil, fmt.Errorf("backup %s: unknown format %d", dir, m.Format)
	case len(m.Files) == 0:
		return nil, fmt.Errorf("backup %s: %s lists no files", dir, ManifestName)
	case len(m.Files) > maxFiles:
		return nil, fmt.Errorf("backup %s: %s lists more than %d files", dir, ManifestName, maxFiles)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if err := checkPath(f.Path); err != nil {
			return nil, fmt.Errorf("backup %s: %s: %w", dir, ManifestName, err)
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("backup %s: %s lists %q twice", dir, ManifestName, f.Path)
		}
		seen[f.Path] = true
		if f.Size < 0 || len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "" {
			return nil, fmt.Errorf("backup %s: %s: %q has no valid size and SHA-256", dir, ManifestName, f.Path)
		}
	}
	return &m, nil
}

// checkPath accepts a slash-separated path that stays inside the backup.
func checkPath(p string) error {
	if p == "" || strings.ContainsAny(p, "\\\x00") || !filepath.IsLocal(filepath.FromSlash(p)) ||
		filepath.ToSlash(filepath.Clean(filepath.FromSlash(p))) != p || p == ManifestName {
		return fmt.Errorf("file name %q is not a plain path inside the backup", p)
	}
	return nil
}

// topLevel returns the first element of each path, sorted, once each.
func topLevel(files []File) []string {
	var out []string
	for _, f := range files {
		first, _, _ := strings.Cut(f.Path, "/")
		if !slices.Contains(out, first) {
			out = append(out, first)
		}
	}
	slices.Sort(out)
	return out
}
