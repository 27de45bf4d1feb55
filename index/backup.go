package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shopdesk/shopdesk/sqlite"
)

// Backuper is a store that writes a consistent copy of itself into a
// directory while in use: keyword.Index and flat.Store are two. The
// copy, opened as the store, is the store as it was at one moment.
type Backuper interface {
	// Backup writes the copy into dir, which must not hold one already.
	Backup(ctx context.Context, dir string) error
}

// BackupPaths say where Backup writes the copy of each store.
type BackupPaths struct {
	// DB is the file for the SQLite database; the whole database is
	// copied, with the tables other stores keep in it.
	DB string
	// Keyword is the directory for the keyword index.
	Keyword string
	// Vectors is the directory for the vector store, if it can be copied.
	Vectors string
}

// BackupInfo says what a backup holds.
type BackupInfo struct {
	// Documents and Chunks count each tenant's documents and chunks.
	Documents map[string]int
	Chunks    int
	// Space is the embedding space of the vectors copied, empty when none
	// were: the vector store is not embedded (Qdrant), vector search is
	// off, or its vectors are out of date. The copy then records its
	// vectors as out of date, so a server opening it embeds the chunks
	// again, from the embedding cache the database holds.
	Space string
}

// Backup writes a consistent copy of the knowledge base while it serves:
// the database (with every table in it), the keyword index and the
// vector store, where to says. Ingests and deletes wait until it is done
// (one in progress finishes first); searches go on.
func (x *Index) Backup(ctx context.Context, to BackupPaths) (BackupInfo, error) {
	var info BackupInfo
	kw, ok := x.opts.Keyword.(Backuper)
	if !ok {
		return info, errors.New("index backup: the keyword index cannot be copied")
	}
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	if err := sqlite.Backup(ctx, x.opts.DB, to.DB); err != nil {
		return info, fmt.Errorf("index backup: %w", err)
	}
	if err := kw.Backup(ctx, to.Keyword); err != nil {
		return info, fmt.Errorf("index backup: %w", err)
	}
	if v, ok := x.opts.Vectors.(Backuper); ok && to.Vectors != "" && x.vectorsConfigured() && x.vectorsReady.Load() {
		if err := v.Backup(ctx, to.Vectors); err != nil {
			return info, fmt.Errorf("index backup: %w", err)
		}
		info.Space = x.opts.Space
	}
	err := sqlite.EditCopy(ctx, to.DB, func(db *sql.DB) error {
		if info.Space == "" {
			if _, err := db.ExecContext(ctx, `UPDATE meta SET value = '' WHERE key = 'vector_space'`); err != nil {
				return err
			}
		}
		var err error
		info.Documents, info.Chunks, err = countByTenant(ctx, db)
		return err
	})
	if err != nil {
		return info, fmt.Errorf("index backup: %w", err)
	}
	return info, nil
}

func countByTenant(ctx context.Context, db *sql.DB) (map[string]int, int, error) {
	rows, err := db.QueryContext(ctx, `SELECT tenant, COUNT(*), COALESCE(SUM(chunks), 0) FROM documents GROUP BY tenant`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	docs, total := map[string]int{}, 0
	for rows.Next() {
		var t string
		var n, chunks int
		if err := rows.Scan(&t, &n, &chunks); err != nil {
			return nil, 0, err
		}
		docs[t], total = n, total+chunks
	}
	return docs, total, rows.Err()
}

// StoredSpace returns the embedding space the vectors of the knowledge
// base in db come from, empty when they are out of date or there are
// none: a command that opens the stores without an embedding model uses
// it to open the matching vector store.
func StoredSpace(ctx context.Context, db *sql.DB) (string, error) {
	reg, err := openRegistry(ctx, db)
	if err != nil {
		return "", err
	}
	return reg.meta(ctx, "vector_space")
}
