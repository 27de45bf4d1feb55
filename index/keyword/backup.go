package keyword

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"

	"github.com/shopdesk/shopdesk/tenant"
)

// Backup writes a copy of every tenant's index into dir, laid out as the
// index's own directory, while the index is in use. Each tenant's copy is
// the Bleve snapshot current when its copy starts, segments not yet
// persisted included; the caller holds back writes for one consistent
// moment across tenants (index.Index.Backup does).
func (x *Index) Backup(ctx context.Context, dir string) error {
	from, err1 := filepath.Abs(x.dir)
	to, err2 := filepath.Abs(dir)
	if rel, err := filepath.Rel(from, to); err1 != nil || err2 != nil || err != nil || filepath.IsLocal(rel) || rel == "." {
		return fmt.Errorf("keyword index backup: %s is inside the index itself", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("keyword index backup: %w", err)
	}
	entries, err := os.ReadDir(x.dir)
	if err != nil {
		return fmt.Errorf("keyword index backup: %w", err)
	}
	for _, e := range entries {
		t := e.Name()
		if !e.IsDir() || tenant.Validate(t) != nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		idx, err := x.tenantIndex(t, false)
		if err != nil {
			return fmt.Errorf("keyword index backup: %w", err)
		}
		if idx == nil {
			continue // a directory left without an index
		}
		c, ok := idx.(bleve.IndexCopyable)
		if !ok {
			return fmt.Errorf("keyword index backup of %s: this Bleve index cannot be copied while open", t)
		}
		to := filepath.Join(dir, t)
		if err := os.Mkdir(to, 0o755); err != nil { // an existing copy is never written over
			return fmt.Errorf("keyword index backup: %w", err)
		}
		if err := c.CopyTo(bleve.FileSystemDirectory(to)); err != nil {
			return fmt.Errorf("keyword index backup of %s: %w", t, err)
		}
	}
	return nil
}
