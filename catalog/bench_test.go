package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/intent"
	"github.com/shopdesk/shopdesk/mention"
	"github.com/shopdesk/shopdesk/sentiment"
)

// benchTurns are messages as shoppers send them, with the conversation's
// product: names whole and partial, kinds, misspellings, pronouns, SKUs,
// and messages about no product, in both languages.
var benchTurns = []struct{ text, current string }{
	{"Is the Cove tent still available?", ""},
	{"Do you have the rain jacket in green?", ""},
	{"羽绒服多少钱", ""},
	{"ridgline down jaket price", ""},
	{"do you have it in black, size L?", "Storm Shell Waterproof Jacket"},
	{"Is HL-JKT-001-BLK-M in stock?", ""},
	{"How long is shipping?", ""},
	{"我的快递到哪了，三天没更新了", ""},
	{"登顶徒步靴42码有吗", ""},
	{"I was charged twice, I want to talk to a real person", "Cove 2 Backpacking Tent"},
}

// BenchmarkClassifyMessage times what every turn does to read a message
// — intent, mood, the shop's identifiers and the product mentioned — on
// the demo catalog and on 20,000 products, and prints the p50 against
// issue 10's target. The catalog's index is built before timing: a
// snapshot builds it once, on its first Match.
func BenchmarkClassifyMessage(b *testing.B) {
	ic, mood := intent.Default(), sentiment.Default()
	n := 2000
	if testing.Short() {
		n = 300
	}
	for _, shop := range []struct {
		name  string
		snap  func(testing.TB) *Snapshot
		turns func(i int) (string, string)
	}{
		{"demo", demoSnapshot, func(i int) (string, string) { t := benchTurns[i%len(benchTurns)]; return t.text, t.current }},
		{"20k", bigCatalog, func(i int) (string, string) {
			if i%2 == 0 {
				t := benchTurns[i%len(benchTurns)]
				return t.text, t.current
			}
			k := i * 7919 % 20_000
			return []string{
				fmt.Sprintf("Do you have the %s in stock?", bigName(k)),
				fmt.Sprintf("is the %s %d waterproof", bigWords[1][k/15%15], k),
				fmt.Sprintf("港湾小径%d号商品有货吗", k),
				fmt.Sprintf("how much is the %s %s", bigWords[0][k%15], bigWords[1][k/15%15]),
			}[i/2%4], ""
		}},
	} {
		b.Run(shop.name, func(b *testing.B) {
			start := time.Now()
			snap := shop.snap(b)
			snap.Match("warm up", "")
			build := time.Since(start)
			times := make([]time.Duration, 0, n)
			found := 0
			for b.Loop() {
				times = times[:0]
				for i := range n {
					text, current := shop.turns(i)
					t0 := time.Now()
					ic.Classify(text)
					mood.Classify(text)
					mention.Find(text, snap.Has)
					m := snap.Match(text, current)
					times = append(times, time.Since(t0))
					if m.Found {
						found++
					}
				}
			}
			slices.Sort(times)
			p50, p99 := times[len(times)/2], times[len(times)*99/100]
			b.ReportMetric(float64(p50.Nanoseconds())/1e3, "p50-µs")
			fmt.Printf("classify a message (intent + mood + mentions + product), %s catalog (%d products): p50 %.1f µs (target ≤ 100 µs), p99 %.1f µs; catalog load and index %s\n",
				shop.name, snap.Len(), float64(p50.Nanoseconds())/1e3, float64(p99.Nanoseconds())/1e3, build.Round(time.Millisecond))
			if found == 0 {
				b.Error("no message found a product")
			}
		})
	}
}

// bigWords make the synthetic names of bigCatalog, as in the actions
// benchmark: one brand, an adjective and a noun, so names share words
// the way real catalogs' do.
var bigWords = [2][]string{
	strings.Fields("waterproof light warm packable trail camp winter summer merino down rain wind alpine coastal urban"),
	strings.Fields("jacket tent pack boot sock glove hat stove lamp bottle fleece parka bag mat chair"),
}

func bigName(i int) string {
	return fmt.Sprintf("Harbor Lane %s %s %d", bigWords[0][i%15], bigWords[1][i/15%15], i)
}

// bigCatalog is 20,000 synthetic products in 50 categories with four
// variants each and a description in each language.
func bigCatalog(testing.TB) *Snapshot {
	ps := make([]commerce.Product, 20_000)
	for i := range ps {
		sku := fmt.Sprintf("P-%05d", i)
		p := commerce.Product{SKU: sku, Name: bigName(i), NameZh: fmt.Sprintf("港湾小径%d号商品", i), Brand: "Harbor Lane",
			Description: fmt.Sprintf("A %s %s for %s trips of %d days, with a %s lining, taped seams and a %s finish; it packs into its own pocket and weighs %d g.",
				bigWords[0][i%15], bigWords[1][i/15%15], bigWords[0][(i/7)%15], 1+i%9, bigWords[0][(i/3)%15], bigWords[0][(i/11)%15], 100+i%900),
			DescriptionZh: fmt.Sprintf("适合%d天的户外行程，防水透气，轻便保暖，收纳后只有%d克，编号%d。", 1+i%9, 100+i%900, i),
			Category:      fmt.Sprintf("cat-%02d", i%50), Tags: []string{bigWords[0][i%15], bigWords[1][i/15%15]}, Stock: 1 + i%20}
		for _, size := range []string{"S", "M", "L", "XL"} {
			p.Variants = append(p.Variants, commerce.Variant{SKU: sku + "-" + size, Color: "black", Size: size, Stock: i % 5})
		}
		ps[i] = p
	}
	return New(ps)
}
