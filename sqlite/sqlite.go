// Package sqlite opens shopdesk's SQLite database (through a pure-Go
// driver, so no C toolchain is needed) and applies each component's schema
// migrations.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Open opens (creating if needed) the database at path in write-ahead-log
// mode, so readers never wait for writers and a crash loses at most the
// transaction in flight.
func Open(path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	// The path is a URI's: '%', '?' and '#' in it would cut it short.
	dsn := "file:" + uriPath.Replace(path) + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_pragma=journal_size_limit(67108864)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return db, nil
}

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Migrate brings component's tables up to date by running, in one
// transaction each, the steps not applied yet. Steps are only ever
// appended: step i, once released, never changes.
func Migrate(ctx context.Context, db *sql.DB, component string, steps []string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT PRIMARY KEY, version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate %s: %w", component, err)
	}
	for {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", component, err)
		}
		var version int
		err = tx.QueryRowContext(ctx, `SELECT version FROM schema_migrations WHERE component = ?`, component).Scan(&version)
		if err != nil && err != sql.ErrNoRows {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", component, err)
		}
		if version > len(steps) {
			tx.Rollback()
			return fmt.Errorf("migrate %s: the database is at version %d, newer than this shopdesk knows (%d); upgrade shopdesk", component, version, len(steps))
		}
		if version == len(steps) {
			return tx.Rollback()
		}
		if _, err := tx.ExecContext(ctx, steps[version]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to version %d: %w", component, version+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (component, version) VALUES (?, ?)
			ON CONFLICT (component) DO UPDATE SET version = excluded.version`, component, version+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", component, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", component, err)
		}
	}
}
