package main

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/shopdesk/shopdesk/sqlite"
)

// errInUse reports a data directory another process holds.
var errInUse = errors.New("in use by another shopdesk")

// lockData takes the data directory for this process alone: its indexes
// cannot be shared between processes, and a second one would wait on them
// forever. The lock goes with the process, however it ends.
func lockData(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	path := filepath.Join(dir, "shopdesk.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("the data directory %s is %w (pid %s); stop it, or use its API (POST /api/documents, POST /api/search)",
				dir, errInUse, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("lock the data directory: %w", err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// openDatabase locks the data directory for this process and opens its
// database, for commands that work on the data directory directly;
// closing the database releases the lock.
func openDatabase(dir string) (db *sql.DB, closeAll func(), err error) {
	release, err := lockData(dir)
	if err != nil {
		return nil, nil, err
	}
	db, err = sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		release()
		return nil, nil, err
	}
	return db, func() { db.Close(); release() }, nil
}
