package keyword

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/index"
)

// After many small batches Bleve merges in the background; Settle returns
// once nothing is pending.
func TestSettle(t *testing.T) {
	x, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	if err := x.Settle(ctx, "nobody"); err != nil {
		t.Fatalf("a tenant without an index: %v", err)
	}
	for i := range 40 {
		var add []index.KeywordDoc
		for j := range 50 {
			add = append(add, index.KeywordDoc{Key: fmt.Sprint(i, "-", j), DocID: fmt.Sprint(i), Title: "t", Text: fmt.Sprint("rain jacket ", i, " ", j)})
		}
		if err := x.Apply(ctx, "shop", nil, add); err != nil {
			t.Fatal(err)
		}
	}
	settle, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := x.Settle(settle, "shop"); err != nil {
		t.Fatal(err)
	}
	idx, _ := x.tenantIndex("shop", false)
	if _, busy := mergeState(idx); busy {
		t.Fatal("settled with a persist or merge pending")
	}
	if n, _ := x.Count("shop"); n != 2000 {
		t.Fatalf("%d chunks after settling", n)
	}
}
