package actions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/intent"
	"github.com/shopdesk/shopdesk/sqlite"
)

// TestTestSplitThroughHandle measures, on each intent test set, how
// often a message reaches the right action through Handle (the model,
// the rule and the actions' own checks: a product the catalog lacks is
// left to the knowledge base), for a signed-in shopper of the demo shop,
// each message in a conversation of its own. It is a measurement, not a
// target: nothing is tuned on it (README, "Understanding shoppers").
func TestTestSplitThroughHandle(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for kind, path := range map[sqlstore.Kind]string{sqlstore.Customers: "../deploy/demo/commerce/customers.csv",
		sqlstore.Orders: "../deploy/demo/commerce/orders.json", sqlstore.Products: "../deploy/demo/knowledge/catalog/products.json"} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = store.Import(ctx, "default", kind, filepath.Base(path), f, "", nil)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	v, err := identity.New(ctx, identity.Options{DB: db, Orders: store.Order, MinDuration: time.Microsecond})
	if err != nil {
		t.Fatal(err)
	}
	a := New(Options{Shop: store, Verifier: v, Now: func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }})
	type tally struct{ ok, n, model, unresolved int }
	by := map[string]*tally{}             // by split and language
	misses := map[string]map[string]int{} // by split
	for i, ex := range intent.ProjectExamples() {
		if !slices.Contains(intent.TestSplits, ex.Split) {
			continue
		}
		key := ex.Split + " " + ex.Lang
		c := &conversation.Conversation{ID: fmt.Sprintf("split-%d", i), Tenant: "default", CustomerID: "C001"}
		res, handled, err := a.Handle(ctx, Request{Tenant: "default", Source: "split", Language: ex.Lang, Message: ex.Text, Conv: c})
		if err != nil {
			t.Fatalf("%q: %v", ex.Text, err)
		}
		got := None
		if handled {
			got = res.Intent
		}
		if by[key] == nil {
			by[key] = &tally{}
		}
		tl := by[key]
		tl.n++
		if got == Intent(ex.Intent) {
			tl.ok++
		} else if rd := a.opts.Intents.Read(ctx, ex.Text); ex.Intent == intent.ProductLookup && rd.Intent == ProductLookup {
			tl.unresolved++ // read right, but the catalog did not find the product
		} else {
			if misses[ex.Split] == nil {
				misses[ex.Split] = map[string]int{}
			}
			misses[ex.Split][fmt.Sprintf("%s→%s", ex.Intent, got)]++
		}
		if l, _ := intent.Default().Classify(ex.Text); l == ex.Intent {
			tl.model++
		}
	}
	for _, split := range intent.TestSplits {
		for _, lang := range []string{"en", "zh"} {
			tl := by[split+" "+lang]
			if tl == nil {
				t.Fatalf("%s %s: no messages", split, lang)
			}
			t.Logf("%s %s: reached the right action %.3f (%d/%d); read right but the product not found %d; the classifier alone %.3f (%d/%d)", split, lang,
				float64(tl.ok)/float64(tl.n), tl.ok, tl.n, tl.unresolved, float64(tl.model)/float64(tl.n), tl.model, tl.n)
			// A floor that catches broken wiring, below what is measured.
			if float64(tl.ok) < 0.7*float64(tl.n) {
				t.Errorf("%s %s: only %d/%d messages reach the right action", split, lang, tl.ok, tl.n)
			}
		}
		t.Logf("%s misses: %v", split, misses[split])
	}
}
