package backup

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// RestoreOptions say what a restore may touch in the data directory.
type RestoreOptions struct {
	// Stores are the top-level names in the data directory that the
	// stores own ("shopdesk.db", "index", ...): a backup may hold only
	// these, and Force replaces only these.
	Stores []string
	// Keep are names that do not make the data directory count as in use
	// (its lock file, a private Ollama's models, other backups).
	Keep []string
	// Force restores into a data directory that holds stores already,
	// replacing them.
	Force bool
}

// Restore verifies the backup in src and copies it into dataDir. A data
// directory holding anything but opts.Keep is refused unless opts.Force,
// which removes the stores there (and only those) once the copy is
// staged and checked. The caller holds dataDir's lock.
func Restore(ctx context.Context, src, dataDir string, opts RestoreOptions) (*Manifest, error) {
	m, err := Verify(src)
	if err != nil {
		return nil, err
	}
	for _, name := range topLevel(m.Files) {
		if !slices.Contains(opts.Stores, name) {
			return nil, fmt.Errorf("backup %s holds %q, which is not one of shopdesk's stores (%s): refusing to restore it", src, name, strings.Join(opts.Stores, ", "))
		}
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	var present []string
	for _, e := range entries {
		if !slices.Contains(opts.Keep, e.Name()) {
			present = append(present, e.Name())
		}
	}
	if len(present) > 0 && !opts.Force {
		return nil, fmt.Errorf("the data directory %s is not empty (it holds %s): restore into an empty one, or pass --force to replace its stores", dataDir, strings.Join(present, ", "))
	}

	stage, err := os.MkdirTemp(dataDir, ".restore-")
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(stage)
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := copyChecked(filepath.Join(src, filepath.FromSlash(f.Path)), filepath.Join(stage, filepath.FromSlash(f.Path)), f); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	for _, name := range opts.Stores {
		if err := os.RemoveAll(filepath.Join(dataDir, name)); err != nil {
			return nil, fmt.Errorf("restore: removing the old %s: %w", name, err)
		}
	}
	for _, name := range topLevel(m.Files) {
		if err := os.Rename(filepath.Join(stage, name), filepath.Join(dataDir, name)); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	syncDir(dataDir)
	return m, nil
}

// copyChecked copies one file, checking what it wrote against the
// manifest: the source may change between Verify and the copy.
func copyChecked(from, to string, f File) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	size, sum, err := checksum(io.TeeReader(in, out))
	if err == nil && (size != f.Size || sum != f.SHA256) {
		err = fmt.Errorf("%s changed while it was restored", f.Path)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// Move moves the backup in src to dst (which must not exist, or be
// empty), by renaming it or, across file systems, by copying it with its
// checksums checked and then removing src.
func Move(src, dst string) (*Manifest, error) {
	m, err := Verify(src)
	if err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dst); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("backup: %s: %w and is not empty", dst, fs.ErrExist)
	}
	os.Remove(dst) // an empty directory given as the target
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dst)), 0o755); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(src, dst); err == nil {
		return m, nil
	}
	for _, f := range append(m.Files, File{Path: ManifestName}) {
		from, to := filepath.Join(src, filepath.FromSlash(f.Path)), filepath.Join(dst, filepath.FromSlash(f.Path))
		if f.Path == ManifestName {
			data, err := os.ReadFile(from)
			if err == nil {
				err = os.WriteFile(to, data, 0o644)
			}
			if err != nil {
				return nil, fmt.Errorf("backup: %w", err)
			}
			continue
		}
		if err := copyChecked(from, to, f); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
	}
	if _, err := Verify(dst); err != nil {
		return nil, err
	}
	return m, os.RemoveAll(src)
}
