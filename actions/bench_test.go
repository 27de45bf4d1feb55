package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/recommend"
	"github.com/shopdesk/shopdesk/sqlite"
)

// BenchmarkTurn times a product-lookup turn and a recommendation turn
// through Actions over the embedded store at 20,000 products (four
// variants each) and 200,000 orders (2,000 and 20,000 with -short), with
// the per-tenant caches the server wires (the catalog snapshot and the
// recommendation statistics in catalog.Caches), against loading them per
// turn (Options.Catalog and Recommender unset) in the same run. The load
// that fills the caches is timed apart: it is no turn's work.
func BenchmarkTurn(b *testing.B) {
	nProducts, nOrders, cachedTurns, loadTurns := 20_000, 200_000, 200, 5
	if testing.Short() {
		nProducts, nOrders, cachedTurns, loadTurns = 2_000, 20_000, 100, 3
	}
	ctx := context.Background()
	store, verifier := benchShop(b, nProducts, nOrders)
	snaps := catalog.NewCache(catalog.CacheOptions[*catalog.Snapshot]{Load: catalog.Load(store.Products), Refresh: catalog.Refresh{Version: store.Version}})
	stats := catalog.NewCache(catalog.CacheOptions[*recommend.Shop]{Load: RecommenderLoader(store, snaps.Get), Refresh: catalog.Refresh{Version: store.Version}})
	cached := New(Options{Shop: store, Verifier: verifier, Catalog: snaps.Get, Recommender: stats.Get})
	perTurn := New(Options{Shop: store, Verifier: verifier})

	r := rand.New(rand.NewPCG(3, 4))
	product := func() int { return min(int(r.ExpFloat64()*float64(nProducts)/8), nProducts-1) }
	for _, kind := range []struct {
		name   string
		intent Intent
		msg    func(i int) string
	}{
		{"product", ProductLookup, func(i int) string {
			if i%2 == 0 {
				return fmt.Sprintf("Is SKU P-%05d-M in stock?", product())
			}
			return fmt.Sprintf("Do you have the %s in stock?", benchName(product()))
		}},
		{"recommend", Recommend, func(int) string {
			return fmt.Sprintf("What goes with the P-%05d? Any suggestions?", product())
		}},
	} {
		b.Run(kind.name, func(b *testing.B) {
			turn := func(a *Actions, i int) time.Duration {
				c := &conversation.Conversation{ID: "bench", Tenant: "shop", CustomerID: fmt.Sprintf("C-%05d", i%(nOrders/10))}
				msg := kind.msg(i)
				start := time.Now()
				res, handled, err := a.Handle(ctx, Request{Tenant: "shop", Source: "bench", Language: "en", Message: msg, Conv: c})
				took := time.Since(start)
				if err != nil || !handled || res.Intent != kind.intent || len(res.Facts) == 0 {
					b.Fatalf("%q: %+v, handled %v, %v", msg, res, handled, err)
				}
				return took
			}
			fill := turn(cached, 0)
			var withCache, load []time.Duration
			for b.Loop() {
				for i := range cachedTurns {
					withCache = append(withCache, turn(cached, i))
				}
				for i := range loadTurns {
					load = append(load, turn(perTurn, i))
				}
			}
			p50, loadP50 := median(withCache), median(load)
			b.ReportMetric(float64(p50)/1e6, "p50-ms")
			b.ReportMetric(float64(loadP50)/1e6, "per-turn-load-p50-ms")
			fmt.Printf("%s turn p50 %s (target ≤ 5 ms; per-turn load %s) at %d products, %d orders; %d turns, the first (filling the caches) %s\n",
				kind.name, millis(p50), millis(loadP50), nProducts, nOrders, len(withCache), millis(fill))
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func millis(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

// benchWords make the synthetic names: one brand, then an adjective and
// a noun, so names share their first words as real catalogs' do.
var benchWords = [2][]string{
	strings.Fields("waterproof light warm packable trail camp winter summer merino down rain wind alpine coastal urban"),
	strings.Fields("jacket tent pack boot sock glove hat stove lamp bottle fleece parka bag mat chair"),
}

func benchName(i int) string {
	return fmt.Sprintf("Harbor Lane %s %s %d", benchWords[0][i%15], benchWords[1][i/15%15], i)
}

// benchShop imports a synthetic shop into a new embedded store: n
// products in 50 categories with four variants, three related products
// and a description each, and m orders of one to four lines by m/10
// customers, skewed towards the first products.
func benchShop(b *testing.B, n, m int) (*sqlstore.Store, *identity.Verifier) {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "shopdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	verifier, err := identity.New(ctx, identity.Options{DB: db, Orders: store.Order})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	put := func(kind sqlstore.Kind) {
		res, err := store.Import(ctx, "shop", kind, string(kind)+".jsonl", &buf, "jsonl", nil)
		if err != nil || len(res.Problems) > 0 {
			b.Fatalf("import %s: %v %v", kind, err, res.Problems)
		}
		buf.Reset()
	}
	for i := range n {
		sku := fmt.Sprintf("P-%05d", i)
		usd := float64(20 + i%200)
		p := commerce.Product{SKU: sku, Name: benchName(i), NameZh: fmt.Sprintf("港湾小径%d号商品", i),
			Category: fmt.Sprintf("cat-%02d", i%50), PriceUSD: &usd, Stock: 1 + r.IntN(20), Returnable: true,
			Tags: []string{benchWords[0][r.IntN(15)], benchWords[1][r.IntN(15)]}}
		var desc []string
		for range 30 {
			desc = append(desc, benchWords[r.IntN(2)][r.IntN(15)])
		}
		p.Description = strings.Join(desc, " ")
		for _, size := range []string{"S", "M", "L", "XL"} {
			p.Variants = append(p.Variants, commerce.Variant{SKU: sku + "-" + size, Color: "black", Size: size, Stock: r.IntN(5)})
		}
		for range 3 {
			p.Related = append(p.Related, fmt.Sprintf("P-%05d", r.IntN(n)))
		}
		enc.Encode(p)
	}
	put(sqlstore.Products)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range m {
		o := commerce.Order{ID: fmt.Sprintf("O-%06d", i), CustomerID: fmt.Sprintf("C-%05d", i%(m/10)), Email: "shopper@example.com",
			Status: commerce.StatusDelivered, PlacedAt: start.Add(time.Duration(i) * time.Minute), Currency: "USD"}
		for range 1 + r.IntN(4) {
			p := min(int(r.ExpFloat64()*float64(n)/8), n-1)
			o.Lines = append(o.Lines, commerce.OrderLine{SKU: fmt.Sprintf("P-%05d-%s", p, []string{"S", "M", "L", "XL"}[r.IntN(4)]), Qty: 1, UnitPrice: 20})
		}
		enc.Encode(o)
		if (i+1)%50_000 == 0 || i == m-1 { // files under the import's size limit
			put(sqlstore.Orders)
		}
	}
	return store, verifier
}
