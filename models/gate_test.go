package models

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// fakeGate gates edits that change the default chat tag and decides
// each check with what arrives on decide.
type fakeGate struct {
	decide  chan error
	started chan string // the candidate tag of each check
}

func newFakeGate() *fakeGate {
	return &fakeGate{decide: make(chan error), started: make(chan string, 10)}
}

func (g *fakeGate) Gated(cur, next *Catalog) bool {
	return cur.Default(KindChat).Tag != next.Default(KindChat).Tag
}

func (g *fakeGate) Check(ctx context.Context, _, next *Catalog) error {
	g.started <- next.Default(KindChat).Tag
	select {
	case err := <-g.decide:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

const catalogA2 = "models:\n  - {id: chat, tag: model-a, kind: chat, description: edited}\n  - {id: embed, tag: e, kind: embedding}\n"

func gatedStore(t *testing.T) (*Store, *fakeGate, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shopdesk.yaml")
	writeFile(t, path, catalogA)
	s, err := NewStore(StoreOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	g := newFakeGate()
	s.SetGate(g)
	t.Cleanup(s.Close)
	return s, g, path
}

func chatTag(s *Store) string { return s.Catalog().Default(KindChat).Tag }

func TestGateAcceptsAfterCheck(t *testing.T) {
	s, g, path := gatedStore(t)
	writeFile(t, path, catalogB)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if tag := <-g.started; tag != "model-b" {
		t.Fatalf("checked %s", tag)
	}
	if chatTag(s) != "model-a" {
		t.Fatal("the edit applied before its check passed")
	}
	g.decide <- nil
	s.Wait()
	if chatTag(s) != "model-b" {
		t.Fatalf("after a passed check: %s", chatTag(s))
	}
	// An edit that changes no model is not gated.
	writeFile(t, path, "models:\n  - {id: chat, tag: model-b, kind: chat, description: edited}\n  - {id: embed, tag: e, kind: embedding}\n")
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Catalog().Lookup("chat"); e.Description != "edited" {
		t.Fatalf("ungated edit not applied: %+v", e)
	}
}

func TestGateRejects(t *testing.T) {
	s, g, path := gatedStore(t)
	writeFile(t, path, catalogB)
	s.Reload()
	<-g.started
	g.decide <- errors.New("model-b scored worse")
	s.Wait()
	if chatTag(s) != "model-a" {
		t.Fatalf("a rejected edit applied: %s", chatTag(s))
	}
	// Reloading the same file does not try again.
	s.Reload()
	select {
	case tag := <-g.started:
		t.Fatalf("rechecked %s without an edit", tag)
	default:
	}
}

func TestGateSupersededByNewerEdit(t *testing.T) {
	s, g, path := gatedStore(t)
	writeFile(t, path, catalogB)
	s.Reload()
	<-g.started
	// The edit is reverted (with a change of description) while B is
	// being checked: the revert applies now and B never does.
	writeFile(t, path, catalogA2)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Catalog().Lookup("chat"); e.Tag != "model-a" || e.Description != "edited" {
		t.Fatalf("newer edit: %+v", e)
	}
	s.Wait()
	if chatTag(s) != "model-a" {
		t.Fatalf("a superseded check applied its catalog: %s", chatTag(s))
	}
}

func TestGateCloseCancelsCheck(t *testing.T) {
	s, g, path := gatedStore(t)
	writeFile(t, path, catalogB)
	s.Reload()
	<-g.started
	s.Close() // returns only once Check has seen the cancellation
	if chatTag(s) != "model-a" {
		t.Fatalf("closed store applied %s", chatTag(s))
	}
	writeFile(t, path, catalogA2)
	s.Reload()
	if e, _ := s.Catalog().Lookup("chat"); e.Description == "edited" {
		t.Fatal("a closed store reloaded")
	}
}
