package keyword

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/index"
)

func keys(rs []index.Ranked) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Key
	}
	return out
}

func open(t *testing.T, dir string) *Index {
	t.Helper()
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

var docs = []index.KeywordDoc{
	{Key: "acme/returns/1/0", DocID: "returns", Title: "Returns policy", Text: "You can return unworn items within 30 days."},
	{Key: "acme/shipping/1/0", DocID: "shipping", Title: "Shipping", Text: "Orders ship in 2 days. Returned parcels are inspected."},
	{Key: "acme/zh-returns/1/0", DocID: "zh-returns", Title: "退货政策", Text: "签收后30天内可以申请退货，商品需保持吊牌完好。"},
	{Key: "acme/zh-shoes/1/0", DocID: "zh-shoes", Title: "鞋码指南", Text: "徒步鞋建议选大半码。货号ＳＫＵ－１２３４。"},
}

func TestSearch(t *testing.T) {
	x := open(t, t.TempDir())
	ctx := context.Background()
	if err := x.Apply(ctx, "acme", nil, docs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q     string
		first string
	}{
		{"returning items", "acme/returns/1/0"}, // "items", and the returns concept
		{"Return Policies", "acme/returns/1/0"}, // title beats the body mention in shipping
		{"how long does shipping take", "acme/shipping/1/0"},
		{"怎么申请退货", "acme/zh-returns/1/0"}, // bigram 退货
		{"鞋", "acme/zh-shoes/1/0"},        // one character finds the word
		{"SKU-1234", "acme/zh-shoes/1/0"}, // full-width text was folded when indexed
		{"ＳＫＵ－１２３４", "acme/zh-shoes/1/0"}, // full-width query folded too
	} {
		hits, err := x.Search(ctx, "acme", tc.q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Key != tc.first {
			t.Errorf("%q: hits %v, want %s first", tc.q, keys(hits), tc.first)
		}
		for _, h := range hits {
			if h.Score != h.Score || h.Score <= 0 {
				t.Errorf("%q: bad score %v", tc.q, h.Score)
			}
		}
	}
	if hits, _ := x.Search(ctx, "acme", "the and of", 10); len(hits) != 0 {
		t.Errorf("a query of stop words matched %v", keys(hits))
	}
	if n, _ := x.Count("acme"); n != 4 {
		t.Errorf("count = %d", n)
	}
}

func TestTenantsAreApart(t *testing.T) {
	x := open(t, t.TempDir())
	ctx := context.Background()
	x.Apply(ctx, "acme", nil, docs[:1])
	x.Apply(ctx, "globex", nil, []index.KeywordDoc{{Key: "globex/g/1/0", DocID: "g", Title: "Globex returns", Text: "Return within 14 days."}})
	hits, err := x.Search(ctx, "globex", "return policy", 10)
	if err != nil || len(hits) != 1 || hits[0].Key != "globex/g/1/0" {
		t.Fatalf("globex sees %v, %v", keys(hits), err)
	}
	if hits, err := x.Search(ctx, "initech", "return", 10); err != nil || len(hits) != 0 {
		t.Fatalf("a tenant without documents: %v, %v", keys(hits), err)
	}
	if _, err := x.Search(ctx, "../acme", "return", 10); err == nil {
		t.Fatal("a tenant name with a path was accepted")
	}
}

func TestApplyReplacesAndPersists(t *testing.T) {
	dir := t.TempDir()
	x := open(t, dir)
	ctx := context.Background()
	x.Apply(ctx, "acme", nil, docs[:2])
	// Replace the returns chunk with a new generation in one step.
	newGen := index.KeywordDoc{Key: "acme/returns/2/0", DocID: "returns", Title: "Returns policy", Text: "Returns are accepted within 60 days."}
	if err := x.Apply(ctx, "acme", []string{"acme/returns/1/0", "acme/never/1/0"}, []index.KeywordDoc{newGen}); err != nil {
		t.Fatal(err)
	}
	x.Close()

	y := open(t, dir)
	hits, err := y.Search(ctx, "acme", "returns accepted days", 10)
	if err != nil || len(hits) == 0 || hits[0].Key != "acme/returns/2/0" {
		t.Fatalf("after reopen: %v, %v", keys(hits), err)
	}
	for _, h := range hits {
		if h.Key == "acme/returns/1/0" {
			t.Fatal("the replaced chunk is still indexed")
		}
	}
}

func TestExpand(t *testing.T) {
	for _, tc := range []struct{ q, want, not string }{
		{"Can I send back my jacket?", "return", ""},
		{"my order was returned", "send back", ""},    // inflection: starts with "return"
		{"our business relationship", "", "delivery"}, // "ship" inside a word does not count
		{"衣服能退掉吗", "退货", ""},
		{"包裹到哪了", "物流", ""},
		{"hello", "", "return"},
	} {
		got := expand(tc.q)
		if (tc.want != "" && !strings.Contains(got, tc.want)) || (tc.not != "" && strings.Contains(got, tc.not)) || (tc.want == "" && tc.not == "" && got != "") {
			t.Errorf("expand(%q) = %q", tc.q, got)
		}
	}
	if got := fuzzyWords("Where's my refnud, 退款 ok? delivery"); got != "Where refnud delivery" { // stop words like "where" are dropped by the analyzer
		t.Errorf("fuzzyWords = %q", got)
	}
}

func TestTypoAndSynonymFindTheDocument(t *testing.T) {
	x := open(t, t.TempDir())
	ctx := context.Background()
	x.Apply(ctx, "acme", nil, docs)
	for q, want := range map[string]string{
		"can I send my boots back": "acme/returns/1/0", // synonym of return
		"retrun policy":            "acme/returns/1/0", // typo
		"退掉要满足什么":                  "acme/zh-returns/1/0",
	} {
		hits, _ := x.Search(ctx, "acme", q, 3)
		if len(hits) == 0 || hits[0].Key != want {
			t.Errorf("%q: %v, want %s first", q, keys(hits), want)
		}
	}
}

// In a large index a query's common words score chunks but do not make
// them candidates; the candidates rank as under the plain query.
func TestCommonWordsOnlyScore(t *testing.T) {
	defer func(n uint64) { largeIndex = n }(largeIndex)
	x := open(t, t.TempDir())
	ctx := context.Background()
	var add []index.KeywordDoc
	for i := range 60 {
		d := index.KeywordDoc{Key: fmt.Sprintf("acme/d%02d/1/0", i), DocID: fmt.Sprintf("d%02d", i), Title: "Order help", Text: "Your order ships soon."}
		if i%20 == 0 {
			d.Text += strings.Repeat(" zipper", 1+i/20)
		}
		add = append(add, d)
	}
	if err := x.Apply(ctx, "acme", nil, add); err != nil {
		t.Fatal(err)
	}
	plain, err := x.Search(ctx, "acme", "order zipper", 5)
	if err != nil {
		t.Fatal(err)
	}
	largeIndex = 10
	split, err := x.Search(ctx, "acme", "order zipper", 5)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(split), keys(plain)[:3]; !slices.Equal(got, want) {
		t.Errorf("with common words split off: %v, want the plain query's zipper chunks %v", got, want)
	}
	for _, h := range split {
		if k := h.Key; k != "acme/d00/1/0" && k != "acme/d20/1/0" && k != "acme/d40/1/0" {
			t.Errorf("%s holds only the common word, yet is a candidate", k)
		}
	}
	// A query of common words only still finds chunks.
	if hits, err := x.Search(ctx, "acme", "order", 5); err != nil || len(hits) != 5 {
		t.Errorf("common words only: %v, %v", keys(hits), err)
	}
}
