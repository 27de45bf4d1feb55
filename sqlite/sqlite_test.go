package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "shopdesk.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := []string{`CREATE TABLE a (x INTEGER)`, `ALTER TABLE a ADD COLUMN y TEXT`}
	if err := Migrate(ctx, db, "test", steps[:1]); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, "test", steps); err != nil { // only step 2 runs
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, "test", steps); err != nil { // nothing to do
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO a (x, y) VALUES (1, 'z')`); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, "test", steps[:1]); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("an older shopdesk on a newer database: %v", err)
	}
	if err := Migrate(ctx, db, "broken", []string{`CREATE TABLE (`}); err == nil {
		t.Fatal("a bad step was reported as applied")
	}
	var mode string
	db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal mode %s", mode)
	}
}

// A data directory whose path has URI characters opens the file it names.
func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shop #1 ?x=%41")
	db, err := Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(filepath.Join(dir, "shopdesk.db")); err != nil {
		t.Fatalf("the database is not where its path says: %v", err)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)`); err != nil {
		t.Fatal(err)
	}
	// A write transaction in flight is not in the copy.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO t VALUES (3)`); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "backup", "copy.db")
	if err := Backup(ctx, db, copyPath); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	if err := Backup(ctx, db, copyPath); err == nil {
		t.Error("Backup overwrote an existing file")
	}
	var n int
	if err := EditCopy(ctx, copyPath, func(c *sql.DB) error {
		if err := c.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&n); err != nil {
			return err
		}
		_, err := c.Exec(`INSERT INTO t VALUES (9)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("the copy holds %d rows, want the 2 committed before it", n)
	}
	entries, _ := os.ReadDir(filepath.Dir(copyPath))
	if len(entries) != 1 {
		t.Errorf("files beside the copy: %v", entries)
	}
	if err := EditCopy(ctx, filepath.Join(dir, "missing.db"), func(*sql.DB) error { return nil }); err == nil {
		t.Error("EditCopy of a missing file succeeded")
	}
}
