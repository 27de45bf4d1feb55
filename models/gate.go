package models

import (
	"context"
)

// Gate decides whether a reloaded catalog may replace the one in force
// when validating it is not enough: a new chat model, say, that must
// first prove itself on a golden set.
type Gate interface {
	// Gated reports whether replacing cur with next must pass Check; it
	// is called with the store's reload lock held, so it must be quick.
	Gated(cur, next *Catalog) bool
	// Check returns nil if next may replace cur, or why not. It runs in a
	// goroutine of its own while cur stays in force, under a context that
	// a newer edit or Close cancels; it must return soon after that ends
	// and bound its own running time.
	Check(ctx context.Context, cur, next *Catalog) error
}

// gateCheck is a Check in progress.
type gateCheck struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// SetGate makes reloads the gate marks as gated wait for its Check; nil
// removes it. Set it before the catalog is watched: edits reloaded
// earlier apply ungated.
func (s *Store) SetGate(g Gate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gate = g
}

// Wait blocks until no gate check is running.
func (s *Store) Wait() {
	for {
		s.mu.Lock()
		c := s.check
		s.mu.Unlock()
		if c == nil {
			return
		}
		<-c.done
	}
}

// Close cancels a gate check in progress and waits for every check to
// return; later reloads do nothing. The catalog in force stays readable.
func (s *Store) Close() {
	s.mu.Lock()
	s.closed = true
	s.supersede()
	s.mu.Unlock()
	s.checks.Wait()
}

// supersede cancels the check in progress, if any: a newer edit decides
// now. The caller holds s.mu.
func (s *Store) supersede() {
	s.generation++
	if s.check != nil {
		s.check.cancel()
		close(s.check.done)
		s.check = nil
	}
}

// startCheck runs the gate's Check of next against cur in the
// background and applies next if it passes and no newer edit came in
// meanwhile. The caller holds s.mu.
func (s *Store) startCheck(cur, next *Catalog) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &gateCheck{cancel: cancel, done: make(chan struct{})}
	s.check = c
	gen := s.generation
	gate := s.gate
	s.checks.Add(1)
	s.log.Info("model catalog edit waits for the model gate; the current catalog stays in force meanwhile", "path", s.opts.Path)
	go func() {
		defer s.checks.Done()
		defer cancel()
		err := gate.Check(ctx, cur, next)
		s.mu.Lock()
		defer s.mu.Unlock()
		if gen != s.generation {
			return // superseded: the newer edit (or Close) decides
		}
		s.check = nil
		close(c.done)
		if err != nil {
			s.log.Warn("model catalog edit rejected by the model gate; keeping the previous catalog (revert the edit: the next start loads the file as it is)",
				"path", s.opts.Path, "err", err)
			return
		}
		s.apply(next)
	}()
}
