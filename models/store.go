package models

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// StoreOptions configures a Store.
type StoreOptions struct {
	// Path is the YAML configuration file; empty means the built-in catalog
	// and nothing to reload.
	Path string
	// Overrides are applied to every catalog the store loads.
	Overrides Overrides
	// Logger receives reload results; nil discards them.
	Logger *slog.Logger
}

// Store holds the current catalog and replaces it when the configuration
// file changes. Catalog is safe to call from any goroutine; an edit that does
// not validate is logged and the previous catalog stays in force.
type Store struct {
	opts StoreOptions
	log  *slog.Logger
	cur  atomic.Pointer[Catalog]

	mu       sync.Mutex // serializes reloads and guards what follows
	lastData []byte
	gate     Gate
	// check is the gate check in progress, generation counts edits so a
	// check finishing after a newer edit knows to step aside.
	check      *gateCheck
	generation uint64
	checks     sync.WaitGroup
	closed     bool
}

// NewStore loads the catalog once. Unlike a later reload, an invalid file
// here is an error: there is no previous catalog to fall back to.
func NewStore(opts StoreOptions) (*Store, error) {
	s := &Store{opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if opts.Path == "" {
		s.cur.Store(BuiltIn(opts.Overrides))
		return s, nil
	}
	c, data, err := s.load()
	if err != nil {
		return nil, err
	}
	s.lastData = data
	s.cur.Store(c)
	return s, nil
}

// Catalog returns the catalog in force.
func (s *Store) Catalog() *Catalog {
	return s.cur.Load()
}

func (s *Store) load() (*Catalog, []byte, error) {
	return load(s.opts.Path, s.opts.Overrides)
}

// Load reads the catalog from the configuration file at path, or returns
// the built-in catalog when path is empty.
func Load(path string, ov Overrides) (*Catalog, error) {
	if path == "" {
		return BuiltIn(ov), nil
	}
	c, _, err := load(path, ov)
	return c, err
}

func load(path string, ov Overrides) (*Catalog, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read model catalog: %w", err)
	}
	c, err := Parse(data, path, ov)
	return c, data, err
}

// Reload re-reads the configuration file. If the new catalog is invalid it
// returns the error, logs it, and keeps the current catalog. Reloading an
// unchanged file does nothing. With a gate set (SetGate), an edit it
// gates is applied only once its check passes, in the background: Reload
// returns at once, and the outcome is logged. A newer edit supersedes a
// check in progress.
func (s *Store) Reload() error {
	if s.opts.Path == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	c, data, err := s.load()
	if err != nil {
		s.log.Error("model catalog edit rejected; keeping the previous catalog", "path", s.opts.Path, "err", err)
		return err
	}
	if bytes.Equal(data, s.lastData) {
		return nil
	}
	s.lastData = data
	s.supersede()
	if s.gate != nil && s.gate.Gated(s.cur.Load(), c) {
		s.startCheck(s.cur.Load(), c)
		return nil
	}
	s.apply(c)
	return nil
}

// apply puts c in force. The caller holds s.mu.
func (s *Store) apply(c *Catalog) {
	s.cur.Store(c)
	s.log.Info("model catalog reloaded", "path", s.opts.Path, "models", len(c.entries),
		"chat", c.Default(KindChat).ID+"="+c.Default(KindChat).Tag,
		"embedding", c.Default(KindEmbedding).ID+"="+c.Default(KindEmbedding).Tag)
}

// Watch reloads the catalog whenever the configuration file changes, until
// ctx is done. It watches the file's directory, so editors that save by
// renaming and mounted config maps that swap a symlink are both seen.
func (s *Store) Watch(ctx context.Context) error {
	if s.opts.Path == "" {
		<-ctx.Done()
		return nil
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch model catalog: %w", err)
	}
	defer w.Close()
	if err := w.Add(filepath.Dir(s.opts.Path)); err != nil {
		return fmt.Errorf("watch model catalog: %w", err)
	}
	// Editors write in bursts; wait for the burst to end before reading.
	const settle = 150 * time.Millisecond
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename) != 0 {
				timer.Reset(settle)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			s.log.Warn("watching the model catalog", "err", err)
		case <-timer.C:
			// The outcome is logged by Reload; a bad edit keeps the old catalog.
			_ = s.Reload()
		}
	}
}
