package keyword

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/shopdesk/shopdesk/index"
)

// An index created before the phrasings field existed searches the
// phrasings of chunks indexed after the upgrade.
func TestPhrasingsInAnOlderIndex(t *testing.T) {
	register()
	dir := t.TempDir()
	old, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	delete(old.DefaultMapping.Properties, "phrasings")
	idx, err := bleve.New(filepath.Join(dir, "acme"), old)
	if err != nil {
		t.Fatal(err)
	}
	idx.Close()
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	docs := []index.KeywordDoc{
		{Key: "a", DocID: "care-down", Title: "Cleaning down", Text: "Wash rarely.", Phrasings: []string{"get my puffy fluffy again"}},
		{Key: "b", DocID: "other", Title: "Shipping", Text: "We ship fast."},
	}
	if err := x.Apply(ctx, "acme", nil, docs); err != nil {
		t.Fatal(err)
	}
	hits, err := x.Search(ctx, "acme", "puffy fluffy", 1)
	if err != nil || len(hits) != 1 || hits[0].Key != "a" {
		t.Fatalf("hits = %v, %v", hits, err)
	}
}
