package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of db to path, which must not exist,
// while db stays in use: VACUUM INTO copies what one read transaction
// sees, whatever writers do meanwhile, compacted, as a single file in
// rollback-journal mode.
func Backup(ctx context.Context, db *sql.DB, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("database backup to %s: %w", path, os.ErrExist)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("database backup: %w", err)
	}
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path) // what this call began to write
		return fmt.Errorf("database backup to %s: %w", path, err)
	}
	return nil
}

// EditCopy opens a database file that Backup wrote, as it is (in
// rollback-journal mode, so no -wal file is left beside it), runs fn on
// it and closes it.
func EditCopy(ctx context.Context, path string, fn func(*sql.DB) error) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("database copy: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("database copy %s: %w", path, err)
	}
	if err := fn(db); err != nil {
		db.Close()
		return fmt.Errorf("database copy %s: %w", path, err)
	}
	return db.Close()
}
