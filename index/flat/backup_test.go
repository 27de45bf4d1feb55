package flat

import (
	"context"
	"math/rand"
	"path/filepath"
	"testing"
)

func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	r := rand.New(rand.NewSource(1))
	pts := randomPoints(r, 50, 8, "k")
	if err := s.Upsert(ctx, "acme", pts); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "acme", []string{"k0", "k1"}); err != nil {
		t.Fatal(err)
	}
	want, err := s.Search(ctx, "acme", pts[7].Vector, 5)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "copy")
	if err := s.Backup(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(ctx, "acme", randomPoints(r, 10, 8, "later")); err != nil {
		t.Fatal(err)
	}

	c := openStore(t, dir)
	if n := c.Len("acme"); n != 48 {
		t.Errorf("the copy holds %d points, want the 48 there at the backup", n)
	}
	got, err := c.Search(ctx, "acme", pts[7].Vector, 5)
	if err != nil || len(got) != len(want) {
		t.Fatalf("search the copy: %v %v", got, err)
	}
	for i := range got {
		if got[i].Key != want[i].Key {
			t.Errorf("hit %d: %s, want %s", i, got[i].Key, want[i].Key)
		}
	}
	if err := s.Backup(ctx, dir); err == nil {
		t.Error("a backup over an existing copy succeeded")
	}
	s.Close()
	if err := s.Backup(ctx, filepath.Join(t.TempDir(), "closed")); err == nil {
		t.Error("a closed store was backed up")
	}
}
