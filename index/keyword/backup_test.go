package keyword

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shopdesk/shopdesk/index"
)

func TestBackup(t *testing.T) {
	ctx := context.Background()
	x := open(t, t.TempDir())
	if err := x.Apply(ctx, "acme", nil, docs); err != nil {
		t.Fatal(err)
	}
	if err := x.Apply(ctx, "globex", nil, []index.KeywordDoc{{Key: "globex/g/1/0", DocID: "g", Title: "Globex returns", Text: "Return within 14 days."}}); err != nil {
		t.Fatal(err)
	}
	want, err := x.Search(ctx, "acme", "return unworn items", 10)
	if err != nil || len(want) == 0 {
		t.Fatalf("search: %v %v", want, err)
	}
	dir := filepath.Join(t.TempDir(), "keyword")
	if err := x.Backup(ctx, dir); err != nil {
		t.Fatal(err)
	}
	// Changes after the backup are not in it.
	if err := x.Apply(ctx, "acme", []string{"acme/returns/1/0"}, nil); err != nil {
		t.Fatal(err)
	}

	c := open(t, dir)
	for tn, n := range map[string]uint64{"acme": uint64(len(docs)), "globex": 1} {
		if got, err := c.Count(tn); err != nil || got != n {
			t.Errorf("%s in the copy: %d chunks, %v; want %d", tn, got, err, n)
		}
	}
	got, err := c.Search(ctx, "acme", "return unworn items", 10)
	if err != nil || !slices.Equal(keys(got), keys(want)) {
		t.Errorf("the copy answers %v (%v), the index answered %v", keys(got), err, keys(want))
	}
	if err := x.Backup(ctx, dir); err == nil {
		t.Error("a backup over an existing copy succeeded")
	}
	if err := c.Backup(ctx, filepath.Join(dir, "inside")); err == nil {
		t.Error("a backup into the index itself succeeded")
	}
}
