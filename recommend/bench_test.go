package recommend

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
)

// BenchmarkRecommend times one recommendation on the demo shop (40
// products, 30 orders) and on a synthetic large one (2,000 products with
// 4 variants each, 50,000 orders), from purchases alone and with
// interests (which add the text index over every product): one-off
// calls, which index the catalog and orders each time, and calls on a
// prepared Shop, which is what a turn makes.
func BenchmarkRecommend(b *testing.B) {
	demo, orders := loadDemo(b)
	var history []commerce.Order
	for _, o := range orders {
		if o.CustomerID == "C002" {
			history = append(history, o)
		}
	}
	bigCatalog, bigOrders := synthetic(2000, 50000)
	bigHistory := bigOrders[:5]
	for _, bc := range []struct {
		name string
		in   Input
	}{
		{"demo/history", Input{Catalog: demo, Orders: orders, History: history}},
		{"demo/interests", Input{Catalog: demo, Orders: orders, History: history,
			Interests: []string{"HL-TNT-001", "waterproof", "我想买个帐篷"}}},
		{"demo/popular", Input{Catalog: demo, Orders: orders, History: history}},
		{"2000x50000/history", Input{Catalog: bigCatalog, Orders: bigOrders, History: bigHistory}},
		{"2000x50000/interests", Input{Catalog: bigCatalog, Orders: bigOrders, History: bigHistory,
			Interests: []string{"P-00042", "waterproof", "帐篷"}}},
		{"2000x50000/popular", Input{Catalog: bigCatalog, Orders: bigOrders, History: bigHistory}},
	} {
		fn := Recommend
		if strings.HasSuffix(bc.name, "/popular") {
			fn = Popular
		}
		b.Run(bc.name, func(b *testing.B) {
			if len(fn(bc.in)) == 0 {
				b.Fatal("no recommendations")
			}
			b.ReportAllocs()
			for b.Loop() {
				fn(bc.in)
			}
		})
		b.Run(bc.name+"/prepared", func(b *testing.B) {
			s := Prepare(catalog.New(bc.in.Catalog), bc.in.Orders)
			q := bc.in.query()
			fn := s.Recommend
			if strings.HasSuffix(bc.name, "/popular") {
				fn = s.Popular
			}
			if len(fn(q)) == 0 {
				b.Fatal("no recommendations")
			}
			b.ReportAllocs()
			for b.Loop() {
				fn(q)
			}
		})
	}
}

// synthetic makes a shop of n products in 50 categories, each with four
// variants, three related products, tags and a description, and m orders
// of one to four lines drawn with a skew towards the first products.
func synthetic(n, m int) ([]commerce.Product, []commerce.Order) {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("waterproof light warm packable trail camp winter summer merino down rain wind " +
		"hiking running climbing travel kids family durable breathable insulated stretch quick dry")
	catalog := make([]commerce.Product, n)
	for i := range catalog {
		sku := fmt.Sprintf("P-%05d", i)
		p := commerce.Product{
			SKU: sku, Name: fmt.Sprintf("Product %d %s", i, words[r.IntN(len(words))]),
			NameZh: fmt.Sprintf("商品%d号帐篷外套", i), Category: fmt.Sprintf("cat-%02d", i%50),
			Stock: r.IntN(20), Tags: []string{words[r.IntN(len(words))], words[r.IntN(len(words))]},
		}
		var desc []string
		for range 40 {
			desc = append(desc, words[r.IntN(len(words))])
		}
		p.Description = strings.Join(desc, " ")
		for _, v := range []string{"S", "M", "L", "XL"} {
			p.Variants = append(p.Variants, commerce.Variant{SKU: sku + "-" + v, Stock: r.IntN(5)})
		}
		for range 3 {
			p.Related = append(p.Related, fmt.Sprintf("P-%05d", r.IntN(n)))
		}
		catalog[i] = p
	}
	orders := make([]commerce.Order, m)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range orders {
		o := commerce.Order{ID: fmt.Sprintf("O-%06d", i), CustomerID: fmt.Sprintf("C-%05d", i%10000),
			Status: commerce.StatusDelivered, PlacedAt: start.Add(time.Duration(i) * time.Minute)}
		for range 1 + r.IntN(4) {
			p := min(int(r.ExpFloat64()*float64(n)/8), n-1)
			o.Lines = append(o.Lines, commerce.OrderLine{SKU: catalog[p].Variants[r.IntN(4)].SKU, Qty: 1})
		}
		orders[i] = o
	}
	return catalog, orders
}
